package dev.rdsbackup.testkit.it;

import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.testkit.contract.BackupStoreContract;

/** A host's store checked by the published store contract: one factory method is all it takes. */
class SynchronizedMapBackupStoreContractTest extends BackupStoreContract {

    @Override
    protected BackupStore createStore() {
        return new SynchronizedMapBackupStore();
    }
}
