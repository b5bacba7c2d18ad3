package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A scheduler that refuses the very first task of a backup")
class FirstTaskRefusedTest {

    /** Passes work to a manual scheduler, refusing the next {@code refusals} submissions when armed. */
    static final class RefusingScheduler implements TaskScheduler {
        private final ManualScheduler delegate;
        int refusals;
        int refused;

        RefusingScheduler(ManualScheduler delegate) {
            this.delegate = delegate;
        }

        private void maybeRefuse() {
            if (refusals > 0) {
                refusals--;
                refused++;
                throw new RejectedExecutionException("injected: the scheduler is shutting down");
            }
        }

        @Override
        public void execute(Runnable task) {
            maybeRefuse();
            delegate.execute(task);
        }

        @Override
        public ScheduledTask schedule(Runnable task, Duration delay) {
            maybeRefuse();
            return delegate.schedule(task, delay);
        }
    }

    private final Harness h = new Harness();
    private final RefusingScheduler refusing = new RefusingScheduler(h.scheduler);
    private final DefaultBackupService service = h.baseBuilder("replica-r", h.scheduler).scheduler(refusing).build();

    @Test
    @DisplayName("never leaves the backup BUILDING: it ends (or was never stored), the handle completes, no "
            + "lock is held and the instance takes a new backup")
    void firstTaskRefused() {
        refusing.refusals = 1;
        BackupHandle handle;
        try {
            handle = service.create(Harness.request("Nightly").build());
        } catch (BackupException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
            assertThat(refused.retryable()).isTrue();
            assertThat(h.store.all()).noneMatch(r -> r.status() == BackupStatus.BUILDING);
            assertThat(refusing.refused).isEqualTo(1);
            assertNewBackupRuns();
            return;
        }
        assertThat(refusing.refused).as("the create submitted work that was refused").isEqualTo(1);
        h.advance(Duration.ofMinutes(10));
        BackupRecord ended = h.stored(handle.backupId());
        assertThat(ended.status()).as("the backup whose first task was refused").isIn(BackupStatus.FAILED,
                BackupStatus.COMPLETED);
        if (ended.status() == BackupStatus.FAILED) {
            assertThat(ended.failure().code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        }
        CompletableFuture<BackupRecord> completion = handle.completion().toCompletableFuture();
        assertThat(completion).isCompleted();
        assertThat(completion.join().status()).isEqualTo(ended.status());
        List<Kind> ends = h.events.kinds(handle.backupId()).stream()
                .filter(k -> k == Kind.FAILED || k == Kind.COMPLETED || k == Kind.CANCELLED).toList();
        assertThat(ends).as("the listener is told of the ending exactly once").hasSize(1);
        assertThat(h.probe.heldLocks()).isEmpty();
        assertThat(service.inFlight()).isZero();
        assertNewBackupRuns();
    }

    private void assertNewBackupRuns() {
        BackupHandle next = service.create(Harness.request("Weekly").build());
        h.advance(Duration.ofMinutes(1));
        assertThat(h.stored(next.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
