package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.testkit.FakeBackupEngine;
import java.util.Optional;

class FakeBackupEngineContractTest extends BackupEngineContract {
    private FakeBackupEngine engine;

    @Override
    protected BackupEngine createEngine() {
        engine = new FakeBackupEngine();
        return engine;
    }

    @Override
    protected Optional<Boolean> artifactExists(String backupId) {
        return Optional.of(engine.hasArtifact(backupId));
    }
}
