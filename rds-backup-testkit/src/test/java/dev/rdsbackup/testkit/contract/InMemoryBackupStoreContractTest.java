package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.testkit.InMemoryBackupStore;

class InMemoryBackupStoreContractTest extends BackupStoreContract {
    @Override
    protected BackupStore createStore() {
        return new InMemoryBackupStore();
    }
}
