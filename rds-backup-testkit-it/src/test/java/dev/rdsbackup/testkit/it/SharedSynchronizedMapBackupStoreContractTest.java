package dev.rdsbackup.testkit.it;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.testkit.contract.BackupStoreContract;
import java.time.Instant;

/**
 * The published store contract on one long-lived store shared by every test, already holding another
 * tenant's records (expired leases among them), as a host's shared test database would: the kit checks only
 * its own records, so nothing is emptied between tests.
 */
class SharedSynchronizedMapBackupStoreContractTest extends BackupStoreContract {

    private static final SynchronizedMapBackupStore SHARED = filled();

    private static SynchronizedMapBackupStore filled() {
        SynchronizedMapBackupStore store = new SynchronizedMapBackupStore();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            store.create(BackupRecord.builder().id((i % 2 == 0 ? "a-" : "z-") + i).projectId("other-tenant")
                    .instanceId("i-1").name("nightly-" + i).clientToken("token-1-" + i)
                    .status(i % 3 == 0 ? BackupStatus.BUILDING : BackupStatus.DELETING)
                    .datastore(new Datastore("MySQL", "8.0")).beginTime(t.plusSeconds(i))
                    .lease(new Lease("gone-replica", t)).build());
        }
        return store;
    }

    @Override
    protected BackupStore createStore() {
        return SHARED;
    }
}
