package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A probe that answers at once and an engine that copies at once cost the host's timer nothing: no verification
 * deadline and no stall check is scheduled (and cancelled) per backup. Each delayed task is a write to the timer's
 * shared queue, which many request threads contend for; an answer already in has nothing left to wait for.
 * Answers that take time still get their deadline and their stall check.
 */
@DisplayName("Adapters that answer at once: no verification deadline or stall check is scheduled")
class AnswersAtOnceTimersTest {
    private static final Duration VERIFICATION_TIMEOUT = Duration.ofMinutes(7);
    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(11);

    private final Harness h = new Harness();
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final DefaultBackupService service = h.baseBuilder("replica-b", h.scheduler)
            .verificationTimeout(VERIFICATION_TIMEOUT)
            .stallTimeout(STALL_TIMEOUT)
            .scheduler(new TaskScheduler() {
                @Override
                public void execute(Runnable task) {
                    h.scheduler.execute(task);
                }

                @Override
                public ScheduledTask schedule(Runnable task, Duration delay) {
                    delays.add(delay);
                    return h.scheduler.schedule(task, delay);
                }
            })
            .build();

    private BackupHandle create() {
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        return handle;
    }

    @Test
    @DisplayName("verified and copied at once: the backup completes with neither timer scheduled")
    void noTimers() {
        BackupHandle handle = create();

        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(delays).as("delays of the tasks scheduled").doesNotContain(VERIFICATION_TIMEOUT, STALL_TIMEOUT);
    }

    @Test
    @DisplayName("a verification still out: its deadline is scheduled, and it fails the attempt when due")
    void hangingVerificationGetsItsDeadline() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(1);
        BackupHandle handle = create();

        assertThat(delays).contains(VERIFICATION_TIMEOUT).doesNotContain(STALL_TIMEOUT);
        h.advance(VERIFICATION_TIMEOUT);
        assertThat(h.stored(handle.backupId()).attempts()).as("the deadline ended attempt 1").isEqualTo(1);
        h.advance(Harness.RETRY_DELAY);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.failHungVerifications(new IllegalStateException("late"));
    }

    @Test
    @DisplayName("a copy still running: its stall check is scheduled, and fails a silent copy when due")
    void runningCopyGetsItsStallCheck() {
        h.engine.holdCopies();
        BackupHandle handle = create();

        assertThat(delays).contains(STALL_TIMEOUT).doesNotContain(VERIFICATION_TIMEOUT);
        h.advance(STALL_TIMEOUT);
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.FAILED);
    }
}
