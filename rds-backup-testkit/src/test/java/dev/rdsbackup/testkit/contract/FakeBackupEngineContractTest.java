package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.FakeStorage;
import java.util.Optional;

class FakeBackupEngineContractTest extends BackupEngineContract {
    /** One storage per test (JUnit makes a new instance of this class for every test). */
    private final FakeStorage storage = new FakeStorage();

    @Override
    protected BackupEngine createEngine() {
        return new FakeBackupEngine(storage);
    }

    @Override
    protected Optional<Boolean> artifactExists(String backupId) {
        return Optional.of(storage.hasArtifact(backupId));
    }
}
