package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
    @DisplayName("reads no record when the only leases not renewed are those of work that ended meanwhile")
    void endedMeanwhileNeedsNoCheck() {
        DefaultBackupService[] service = new DefaultBackupService[1];
        String[] endMeanwhile = new String[1];
        int[] findsAfterCancel = new int[1];
        FaultInjectingStore store = new FaultInjectingStore(h.store) {
            @Override
            public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
                if (endMeanwhile[0] != null) {
                    // A backup ends (its lease cleared) after the tick took its list of ids.
                    service[0].cancel(Harness.PROJECT, endMeanwhile[0]);
                    endMeanwhile[0] = null;
                    findsAfterCancel[0] = calls(Op.FIND); // the cancel reads the record itself
                }
                return super.renewLeases(owner, backupIds, expiresAt);
            }
        };
        service[0] = h.baseBuilder("replica-r", h.scheduler).store(store).leaseDuration(LEASE).build();
        h.engine.holdCopies();
        List<BackupHandle> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String instance = "inst-e" + i;
            h.probe.addInstance(Harness.PROJECT, instance);
            handles.add(service[0].create(Harness.request("Nightly").instanceId(instance).build()));
        }
        h.settle();
        endMeanwhile[0] = handles.get(0).backupId();
        h.advance(LEASE.dividedBy(3));
        assertThat(h.stored(handles.get(0).backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(findsAfterCancel[0]).as("the renewal ran").isPositive();
        assertThat(store.calls(Op.FIND) - findsAfterCancel[0]).as("no record read for the 19 leases renewed")
                .isZero();
        for (BackupHandle handle : handles.subList(1, handles.size())) {
            assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant().plus(LEASE));
        }
    }

    @Test
    @DisplayName("a lease taken elsewhere is still found by the renewal")
    void takenElsewhereFound() {
        DefaultBackupService service = h.baseBuilder("replica-r", h.scheduler).store(counting)
                .leaseDuration(LEASE).build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        BackupRecord held = h.stored(handle.backupId());
        h.store.compareAndSet(held.toBuilder().status(BackupStatus.CANCELLED).lock(null)
                .lease(new Lease("replica-x", held.lease().expiresAt())).build(), held.version());
        int findsBefore = counting.calls(Op.FIND);
        h.advance(LEASE.dividedBy(3));
        assertThat(counting.calls(Op.FIND) - findsBefore).as("the record of the lease not renewed was read").isOne();
        assertThat(service.inFlight()).as("the owner saw the ending and let go").isZero();
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
