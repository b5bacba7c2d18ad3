package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 11, item 14: lease renewal is one store call per period, and token replays share one poller. */
@DisplayName("Lease renewal and watching")
class LeaseRenewalBatchTest {
    private static final Duration LEASE = Duration.ofMinutes(3);

    private final Harness h = new Harness();
    private final FaultInjectingStore counting = new FaultInjectingStore(h.store);

    @Test
    @DisplayName("renews the leases of all of a replica's work in one store call per period")
    void oneCallPerPeriod() {
        DefaultBackupService service = h.baseBuilder("replica-r", h.scheduler).store(counting)
                .leaseDuration(LEASE).build();
        h.engine.holdCopies();
        List<BackupHandle> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String instance = "inst-r" + i;
            h.probe.addInstance(Harness.PROJECT, instance);
            handles.add(service.create(Harness.request("Nightly").instanceId(instance).build()));
        }
        h.settle();
        int casBefore = counting.calls(Op.CAS);
        int renewBefore = counting.calls(Op.RENEW);
        h.advance(LEASE.dividedBy(3));
        assertThat(counting.calls(Op.RENEW) - renewBefore).isEqualTo(1);
        assertThat(counting.calls(Op.CAS) - casBefore).as("no write per record").isZero();
        for (BackupHandle handle : handles) {
            assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant().plus(LEASE));
        }
    }

    @Test
    @DisplayName("a retried failed renewal keeps the work alive")
    void failedRenewalRetried() {
        DefaultBackupService service = h.baseBuilder("replica-r", h.scheduler).store(counting)
                .leaseDuration(LEASE).build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        counting.failBefore(Op.RENEW, 1);
        h.advance(LEASE.dividedBy(3));
        h.advance(LEASE.dividedBy(3));
        BackupRecord stored = h.stored(handle.backupId());
        assertThat(stored.status()).isEqualTo(BackupStatus.BUILDING);
        assertThat(stored.lease().expiresAt()).isAfter(h.clock.instant().plus(LEASE.dividedBy(2)));
    }

    @Test
    @DisplayName("client-token replays of a backup built elsewhere share one poller")
    void onePoller() {
        h.engine.holdCopies();
        BackupHandle original = h.service.create(Harness.request("Nightly").clientToken("tok-1").build());
        h.settle();
        ManualScheduler otherScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService other = h.baseBuilder("replica-w", otherScheduler).store(counting)
                .leaseDuration(Duration.ofMinutes(2)).build();
        for (int i = 0; i < 5; i++) {
            other.create(Harness.request("Nightly").clientToken("tok-1").build());
        }
        int findsBefore = counting.calls(Op.FIND);
        otherScheduler.advance(Duration.ofMinutes(1));
        assertThat(counting.calls(Op.FIND) - findsBefore).isLessThanOrEqualTo(2);
        assertThat(original).isNotNull();
    }
}
