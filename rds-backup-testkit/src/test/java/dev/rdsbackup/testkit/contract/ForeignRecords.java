package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import java.time.Instant;

/**
 * Records of other tenants in a shared store: expired and live leases, ids sorting before and after any
 * id of the kit ({@code a-...} and {@code z-...}), the kit's instance ids, names and client tokens.
 */
final class ForeignRecords {

    static final int COUNT = 400;

    private ForeignRecords() {
    }

    static void fill(BackupStore store) {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        BackupStatus[] statuses = BackupStatus.values();
        for (int i = 0; i < COUNT; i++) {
            String id = (i % 2 == 0 ? "a-" : "z-") + i;
            store.create(BackupRecord.builder().id(id).projectId("foreign-" + (i % 7)).instanceId("i-" + (i % 5))
                    .name("nightly-" + i).clientToken("token-" + (i % 50)).status(statuses[i % statuses.length])
                    .datastore(new Datastore("MySQL", "8.0")).beginTime(t.plusSeconds(i % 13))
                    .lease(i % 3 == 0 ? null : new Lease("foreign-replica", t.plusSeconds(i % 2 == 0 ? -60 : 86_400)))
                    .lock(i % 4 == 0 ? new BackupLock("i-" + (i % 5), "s-" + i) : null)
                    .build());
        }
    }
}
