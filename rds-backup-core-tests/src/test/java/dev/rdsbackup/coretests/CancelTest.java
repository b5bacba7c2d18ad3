package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static dev.rdsbackup.coretests.Harness.RETRY_DELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cancelling a backup")
class CancelTest {
    private final Harness h = new Harness();

    private void assertCancelled(BackupHandle handle, BackupRecord answer) {
        assertThat(answer.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(answer.endTime()).isEqualTo(h.clock.instant());
        assertThat(answer.lock()).isNull();
        assertThat(h.stored(handle.backupId())).isEqualTo(answer);
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(answer);
        assertThat(h.events.kinds(handle.backupId())).last().isEqualTo(Kind.CANCELLED);
        // Nothing scheduled for it may revive it.
        h.advance(Duration.ofHours(2));
        assertThat(h.stored(handle.backupId())).isEqualTo(answer);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("while its verification is running stops it, and a lock that arrives later is released")
    void whileVerifying() {
        h.probe.instance(PROJECT, INSTANCE).hangFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        BackupRecord answer = h.service.cancel(PROJECT, handle.backupId());
        assertCancelled(handle, answer);
        h.probe.completeHungVerifications();
        h.settle(); // the probe's answer is handed to the service's scheduler
        assertThat(h.probe.heldLocks()).isEmpty();
        assertThat(h.engine.copyRequests()).isEmpty();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("while it waits to retry stops the retry")
    void whileWaitingToRetry() {
        h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.advance(RETRY_DELAY.dividedBy(2));
        BackupRecord answer = h.service.cancel(PROJECT, handle.backupId());
        assertCancelled(handle, answer);
        assertThat(h.probe.verificationCount()).isEqualTo(1);
        assertThat(h.engine.copyRequests()).isEmpty();
    }

    @Test
    @DisplayName("while copying tells the engine and releases the backup lock once")
    void whileCopying() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.probe.heldLocks()).hasSize(1);
        BackupRecord answer = h.service.cancel(PROJECT, handle.backupId());
        assertThat(h.engine.cancelCount(handle.backupId())).isEqualTo(1);
        assertThat(h.probe.locksReleased()).isEqualTo(1);
        assertCancelled(handle, answer);
        assertThat(h.engine.hasArtifact(handle.backupId())).isFalse();
    }

    @Test
    @DisplayName("that is already cancelled returns it unchanged")
    void twice() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        BackupRecord first = h.service.cancel(PROJECT, handle.backupId());
        BackupRecord second = h.service.cancel(PROJECT, handle.backupId());
        assertThat(second).isEqualTo(first);
        assertThat(h.events.count(Kind.CANCELLED)).isEqualTo(1);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("that already finished otherwise is refused with 409")
    void finished() {
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThatThrownBy(() -> h.service.cancel(PROJECT, handle.backupId()))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_STATUS_CONFLICT);
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("of another project is 'not found'")
    void otherProject() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThatThrownBy(() -> h.service.cancel("proj-2", handle.backupId()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND));
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
    }

    @Test
    @DisplayName("from another replica ends it at once, and the building replica stops its copy soon after")
    void fromAnotherReplica() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        var otherScheduler = dev.rdsbackup.testkit.ManualScheduler.strict(h.clock);
        var other = h.baseBuilder("replica-b", otherScheduler).build();
        BackupRecord answer = other.cancel(PROJECT, handle.backupId());
        assertThat(answer.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(h.probe.locksReleased()).as("the canceller released the stored lock").isEqualTo(1);
        h.advance(Duration.ofMinutes(1));
        assertThat(h.engine.cancelCount(handle.backupId())).as("the owner noticed at its lease renewal")
                .isEqualTo(1);
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(answer);
        assertThat(h.stored(handle.backupId())).isEqualTo(answer);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("after the copy completed but while its COMPLETED write waits to be retried is recorded as CANCELLED")
    void whileTheCompletedWriteWaitsForARetry() {
        // The shrunk sequence of the state machine's seed -6272177420253743244: the completion could not be
        // stored, so the store still says BUILDING; the cancel must not answer "try again" (nothing the
        // caller does would help) but be recorded, and the pending COMPLETED write must then give way.
        boolean[] failNextWrite = {false};
        var failing = new dev.rdsbackup.testkit.ForwardingBackupStore(h.store) {
            @Override
            public java.util.Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                if (failNextWrite[0]) {
                    failNextWrite[0] = false;
                    throw new IllegalStateException("connection reset before the UPDATE was sent");
                }
                return super.compareAndSet(next, expectedVersion);
            }
        };
        var service = h.baseBuilder("replica-f", h.scheduler).store(failing).build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        failNextWrite[0] = true;
        h.engine.complete(handle.backupId());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).as("the completion is not stored yet")
                .isEqualTo(BackupStatus.BUILDING);

        BackupRecord answer = service.cancel(PROJECT, handle.backupId());

        assertThat(answer.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(answer.lock()).isNull();
        h.advance(Duration.ofHours(1));
        assertThat(h.stored(handle.backupId())).as("the retried COMPLETED write gave way").isEqualTo(answer);
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(answer);
        assertThat(h.events.kinds(handle.backupId())).doesNotContain(Kind.COMPLETED).last().isEqualTo(Kind.CANCELLED);
        assertThat(h.engine.hasArtifact(handle.backupId())).as("the cancelled copy's data is discarded").isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
