package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A cancel served by a replica that does not build the backup, whose ending write commits and then throws
 * with the re-reads failing: answered {@code SERVICE_UNAVAILABLE}, then resolved by the writer's own
 * re-reads (1 s, then 2 s, 4 s ... later) or by its next read of the record, whichever comes first, and
 * told exactly once.
 */
@DisplayName("A remote cancel whose ending write is in doubt")
class RemoteEndingInDoubtTest {
    private static final Duration LEASE = Duration.ofMinutes(3);

    private final Harness h = new Harness();
    private final FaultInjectingStore otherStore = new FaultInjectingStore(h.store);
    private final DefaultBackupService other = h.baseBuilder("replica-c", h.scheduler).store(otherStore)
            .leaseDuration(LEASE).build();

    private String building() {
        return h.copying(h.service).backupId();
    }

    private void cancelInDoubt(String id, int failedReads) {
        otherStore.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, failedReads);
        assertThatThrownBy(() -> other.cancel(PROJECT, id)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(h.stored(id).status()).as("the write landed").isEqualTo(BackupStatus.CANCELLED);
    }

    private long cancelledTold(String id) {
        return h.events.kinds(id).stream().filter(k -> k == Kind.CANCELLED).count();
    }

    @Test
    @DisplayName("is resolved by the writer's re-read one second later: told once, the lock released, the copy stopped")
    void resolvedBySecondReRead() {
        String id = building();
        cancelInDoubt(id, 3);
        h.advance(Duration.ofMillis(999));
        assertThat(cancelledTold(id)).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(cancelledTold(id)).isOne();
        BackupRecord stored = h.stored(id);
        assertThat(stored.lock()).isNull();
        assertThat(stored.lease()).isNull();
        assertThat(h.engine.isRunning(id)).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
        h.advance(Duration.ofMinutes(10));
        assertThat(cancelledTold(id)).isOne();
    }

    @Test
    @DisplayName("whose re-reads keep failing reads again after growing pauses (1 s, 2 s, 4 s)")
    void growingPauses() {
        String id = building();
        cancelInDoubt(id, 5); // three at once, then the re-reads at 1 s and 3 s fail; the one at 7 s works
        h.advance(Duration.ofMillis(6999));
        assertThat(cancelledTold(id)).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(cancelledTold(id)).isOne();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("is resolved at once by the writer's next read of the record, and not told again by its re-read")
    void resolvedByAGet() {
        String id = building();
        cancelInDoubt(id, 3);
        BackupRecord read = other.get(PROJECT, id);
        assertThat(read.status()).isEqualTo(BackupStatus.CANCELLED);
        h.settle();
        assertThat(cancelledTold(id)).isOne();
        h.advance(Duration.ofMinutes(10));
        assertThat(cancelledTold(id)).isOne();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("whose record cannot be read for long is left to the reconciler, which finishes it once")
    void leftToTheReconciler() {
        String id = building();
        cancelInDoubt(id, 3 + 9); // the re-reads at 1, 3, 7, 15, 31, 61, 91, 121 and 151 s all fail
        h.advance(Duration.ofMinutes(3));
        assertThat(cancelledTold(id)).isZero();
        h.advance(LEASE);
        other.recover();
        h.settle();
        BackupRecord stored = h.stored(id);
        assertThat(stored.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(stored.lock()).isNull();
        assertThat(stored.lease()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(cancelledTold(id)).isOne();
    }

    @Test
    @DisplayName("whose read-back by the reconciler throws a checked exception does not stop the reconciler")
    void reconcilerContainsABrokenRead() {
        boolean[] broken = {false};
        FaultInjectingStore breaking = new FaultInjectingStore(h.store) {
            @Override
            public java.util.Optional<BackupRecord> find(String backupId) {
                if (broken[0]) {
                    broken[0] = false;
                    throw dev.rdsbackup.coretests.faults.Sneaky.sneakyThrow(
                            new java.io.IOException("injected: a checked exception from the store"));
                }
                return super.find(backupId);
            }
        };
        DefaultBackupService writer = h.baseBuilder("replica-w", h.scheduler).store(breaking).leaseDuration(LEASE)
                .build();
        String id = building();
        breaking.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, 3);
        assertThatThrownBy(() -> writer.cancel(PROJECT, id)).isInstanceOf(BackupException.class);
        // Another replica's build, left behind when that replica died: the same reconciler run must fail it.
        h.probe.addInstance(PROJECT, "inst-d");
        DefaultBackupService dead = h.baseBuilder("replica-d", new dev.rdsbackup.testkit.ManualScheduler(h.clock))
                .leaseDuration(LEASE).random(new java.util.SplittableRandom(5)).build();
        String orphan = dead.create(Harness.request("Orphan").instanceId("inst-d").build()).backupId();
        h.clock.tick(LEASE.plusSeconds(1));
        broken[0] = true;

        assertThat(writer.recover().failed()).contains(orphan);

        assertThat(broken[0]).as("the read-back was tried").isFalse();
        assertThat(h.stored(orphan).status()).isEqualTo(BackupStatus.FAILED);
        writer.recover();
        h.settle();
        assertThat(cancelledTold(id)).as("told once the record could be read").isOne();
    }
}
