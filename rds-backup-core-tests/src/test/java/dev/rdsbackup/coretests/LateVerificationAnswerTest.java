package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
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
}
