package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A verification attempt that timed out and answers late")
class LateVerificationAnswerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Harness h = new Harness(b -> b.verificationTimeout(TIMEOUT));

    private BackupHandle timedOut() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.advance(TIMEOUT);
        assertThat(h.events.kinds(handle.backupId())).as("the timed-out attempt is retried")
                .contains(Kind.VERIFICATION_RETRY);
        return handle;
    }

    @Test
    @DisplayName("with a lock: the late lock is released at once, never recorded or copied with, and the retry "
            + "goes on with a lock of its own")
    void lateLock() {
        BackupHandle handle = timedOut();
        assertThat(h.probe.completeHungVerifications()).isEqualTo(1);
        h.settle();
        BackupRecord waiting = h.stored(handle.backupId());
        assertThat(waiting.status()).isEqualTo(BackupStatus.BUILDING);
        assertThat(waiting.lock()).as("the late lock is not recorded").isNull();
        assertThat(h.probe.heldLocks()).as("the late lock is released at once").isEmpty();
        assertThat(h.engine.copyRequests()).as("no copy runs with the late lock").isEmpty();

        h.advance(Harness.RETRY_DELAY);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.probe.verificationCount()).isEqualTo(2);
        assertThat(h.probe.locksObtained()).isEqualTo(2);
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.engine.copyRequests()).hasSize(1);
        assertThat(h.events.kinds(handle.backupId())).containsOnlyOnce(Kind.COPY_STARTED, Kind.COMPLETED);
    }

    @Test
    @DisplayName("with a failure: the late failure changes nothing and the retry completes the backup")
    void lateFailure() {
        BackupHandle handle = timedOut();
        assertThat(h.probe.failHungVerifications(new IllegalStateException("late"))).isEqualTo(1);
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
        assertThat(h.events.kinds(handle.backupId())).containsOnlyOnce(Kind.VERIFICATION_RETRY);

        h.advance(Harness.RETRY_DELAY);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("after the backup already failed for good: the late lock is released once")
    void lateLockAfterTheEnd() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(2);
        BackupHandle handle = h.create("Nightly");
        h.advance(TIMEOUT);
        h.advance(Harness.RETRY_DELAY);
        h.advance(TIMEOUT);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.probe.completeHungVerifications()).isEqualTo(2);
        h.settle();
        assertThat(h.stored(handle.backupId()).lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.engine.copyRequests()).isEmpty();
    }

    @Test
    @DisplayName("after the backup completed and its queue was swept, then the replica closes: the late lock is"
            + " released before closed() completes")
    void lateLockAtClose() {
        ManualScheduler scheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService service = h.baseBuilder("replica-late", scheduler).verificationTimeout(TIMEOUT)
                .recoveryInterval(Duration.ofMinutes(1)).build();
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(1);
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        scheduler.advance(TIMEOUT);
        scheduler.advance(Harness.RETRY_DELAY);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        scheduler.advance(Duration.ofMinutes(3)); // reconciler runs: the ended backup's queue is swept
        assertThat(h.probe.completeHungVerifications()).isEqualTo(1); // queued on the scheduler, not run yet
        service.close();
        for (int i = 0; i < 100 && !service.closed().toCompletableFuture().isDone(); i++) {
            scheduler.advance(Duration.ofSeconds(10)); // the host runs its scheduler until closed() completes
        }
        assertThat(service.closed().toCompletableFuture()).isDone();
        // The host stops its scheduler now: nothing queued on it runs any more.
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.probe.heldLocks()).isEmpty();
    }
}
