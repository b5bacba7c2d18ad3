package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a closed replica leaves alone. */
final class BackupRecordSnapshot {
    private BackupRecordSnapshot() {
    }

    /** Time passes on the closed replica's scheduler and nothing of it touches the record. */
    static void assertUnchangedOver(Harness h, String backupId, Duration time) {
        var before = h.stored(backupId);
        h.advance(time);
        assertThat(h.stored(backupId)).isEqualTo(before);
        assertThat(h.service.inFlight()).isZero();
    }
}

/** {@code close()}: no new creates, a grace period in the scheduler's time, then the work handed over. */
@DisplayName("Closing a replica")
class ShutdownTest {
    private static final Duration LEASE = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE).shutdownGracePeriod(GRACE));

    @Test
    @DisplayName("is only started by close(): asking for its stage does not close the replica")
    void closedDoesNotClose() {
        assertThat(h.service.closed().toCompletableFuture()).isNotDone();
        h.create("Nightly");
        h.settle();
        assertThat(h.store.all()).hasSize(1);
    }

    @Test
    @DisplayName("refuses new creates at once with a retryable SERVICE_UNAVAILABLE")
    void refusesCreates() {
        h.service.close();
        assertThatThrownBy(() -> h.create("Nightly")).isInstanceOfSatisfying(BackupException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
        });
        assertThat(h.store.all()).isEmpty();
    }

    @Test
    @DisplayName("lets work that finishes within the grace period finish")
    void workFinishesInGrace() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.service.close();
        h.advance(GRACE.dividedBy(2));
        h.engine.complete(handle.backupId());
        h.settle();
        h.advance(GRACE);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.service.closed().toCompletableFuture()).isCompleted();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("hands what remains after the grace period to another replica at once, not after the lease")
    void handsOver() {
        ManualScheduler otherScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService other = h.baseBuilder("replica-b", otherScheduler).leaseDuration(LEASE).build();
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.service.close();
        h.advance(GRACE.minusSeconds(1));
        assertThat(h.service.closed().toCompletableFuture()).as("still in the grace period").isNotDone();
        h.advance(Duration.ofSeconds(1));
        assertThat(h.service.closed().toCompletableFuture()).isCompleted();
        assertThat(h.service.inFlight()).isZero();
        assertThat(other.recover().failed()).as("taken over long before the lease would expire")
                .containsExactly(handle.backupId());
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.engine.isRunning(handle.backupId())).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
        h.service.close(); // idempotent
        BackupRecordSnapshot.assertUnchangedOver(h, handle.backupId(), Duration.ofHours(1));
    }

    @Test
    @DisplayName("handles answers still queued before it completes: a late backup lock is released, not left to a stopped scheduler")
    void queuedLateLockReleased() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.service.instanceDeleted(Harness.PROJECT, Harness.INSTANCE);
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        // The hung verification answers with a lock; the answer waits on the scheduler, which has not run.
        h.probe.completeHungVerifications();

        java.util.List<Object> heldWhenClosed = new java.util.ArrayList<>();
        h.service.close();
        h.service.closed().thenRun(() -> heldWhenClosed.addAll(h.probe.heldLocks()));
        h.advance(GRACE);

        assertThat(h.service.closed().toCompletableFuture()).isCompleted();
        assertThat(heldWhenClosed).as("locks still held when close() completed, after which the host may stop "
                + "its scheduler").isEmpty();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
