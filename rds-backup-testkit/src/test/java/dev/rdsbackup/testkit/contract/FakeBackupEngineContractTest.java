package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.testkit.FakeBackupEngine;

class FakeBackupEngineContractTest extends BackupEngineContract {
    @Override
    protected BackupEngine createEngine() {
        return new FakeBackupEngine();
    }
}
