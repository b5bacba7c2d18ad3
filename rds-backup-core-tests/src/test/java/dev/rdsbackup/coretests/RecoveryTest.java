package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Crash recovery with two replicas sharing one store")
class RecoveryTest {
    private static final Duration LEASE = Duration.ofMinutes(3);

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    /** Replica B: alive. Replica A (the harness's service) will "die": its scheduler is never run again. */
    private final ManualScheduler survivorScheduler = ManualScheduler.strict(h.clock);
    private final DefaultBackupService survivor =
            h.baseBuilder("replica-b", survivorScheduler).leaseDuration(LEASE).build();

    /** Moves time without running the dead replica's work. */
    private void advanceWithOnlySurvivor(Duration amount) {
        survivorScheduler.advance(amount);
    }

    @Test
    @DisplayName("fails a backup orphaned mid-copy after its lease expires, not before, and releases its lock")
    void orphanedBuild() {
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        assertThat(h.probe.heldLocks()).hasSize(1);
        // Replica A stops here.
        advanceWithOnlySurvivor(LEASE.minusSeconds(1));
        assertThat(survivor.recover().isEmpty()).as("the lease has not expired yet").isTrue();
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
        assertThat(h.probe.locksReleased()).isZero();

        advanceWithOnlySurvivor(Duration.ofSeconds(1));
        RecoveryReport report = survivor.recover();
        assertThat(report.failed()).containsExactly(orphan.backupId());
        BackupRecord failed = h.stored(orphan.backupId());
        assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        assertThat(failed.failure().message()).contains("replica-a");
        assertThat(failed.lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(survivor.recover().isEmpty()).as("a second run finds nothing").isTrue();
    }

    @Test
    @DisplayName("never touches work whose replica is alive and renewing its lease")
    void liveWorkUntouched() {
        h.engine.holdCopies();
        BackupHandle live = h.create("Nightly");
        h.settle();
        for (int i = 0; i < 10; i++) {
            h.advance(LEASE.dividedBy(2));
            survivorScheduler.runPending();
            assertThat(survivor.recover().isEmpty()).isTrue();
        }
        assertThat(h.stored(live.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
        h.engine.complete(live.backupId());
        h.settle(); // the engine's answer is handed to the service's scheduler
        assertThat(h.stored(live.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a dead replica that comes back finds its copy stopped by recovery and does not release the lock again")
    void zombieReplicaStops() {
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        advanceWithOnlySurvivor(LEASE);
        survivor.recover();
        assertThat(h.engine.isRunning(orphan.backupId())).as("recovery stopped the copy by the backup's id").isFalse();
        // Replica A wakes up: it hears that its copy ended.
        h.settle();
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(orphan.completion().toCompletableFuture()).isCompletedWithValueMatching(
                r -> r.status() == BackupStatus.FAILED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("resumes a deletion orphaned in DELETING")
    void orphanedDeletion() {
        String id = h.create("Nightly").backupId();
        h.settle();
        var stuck = new java.util.concurrent.CompletableFuture<Void>();
        var dying = h.baseBuilder("replica-c", ManualScheduler.strict(h.clock)).leaseDuration(LEASE)
                .engine(new dev.rdsbackup.api.spi.BackupEngine() {
                    @Override
                    public dev.rdsbackup.api.spi.CopyJob startCopy(dev.rdsbackup.api.spi.CopyRequest request,
                            java.util.function.Consumer<dev.rdsbackup.api.spi.CopyProgress> progress) {
                        throw new UnsupportedOperationException("not used");
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                        return stuck;
                    }
                }).build();
        dying.delete(PROJECT, id);
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        advanceWithOnlySurvivor(LEASE.minusSeconds(1));
        assertThat(survivor.recover().isEmpty()).isTrue();
        advanceWithOnlySurvivor(Duration.ofSeconds(1));
        RecoveryReport report = survivor.recover();
        assertThat(report.deletesResumed()).containsExactly(id);
        assertThat(h.store.find(id)).isEmpty();
        assertThat(h.engine.hasArtifact(id)).isFalse();
    }
}
