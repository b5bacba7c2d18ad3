package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A backup that ended takes its timers with it: a verification deadline, a stall check or a retry left on
 * the host's scheduler would hold memory for its whole delay (hours, for a stall timeout) for every backup.
 */
@DisplayName("A backup that ended leaves none of its timers on the scheduler")
class TimersReleasedTest {
    private static final Duration LONG = Duration.ofHours(6);

    private final Harness h = new Harness(b -> b.verificationTimeout(LONG).stallTimeout(LONG)
            .leaseDuration(Duration.ofMinutes(3))
            .retryPolicy(RetryPolicy.builder().jitter(0).delay(LONG).maxDelay(LONG).maxElapsed(LONG.multipliedBy(4))
                    .build()));

    /** What the service keeps queued with no backup at all: its reconciler timer. */
    private int idle;

    private void idleBaseline() {
        h.settle();
        idle = h.scheduler.pendingCount();
    }

    /** Lets the lease tick see that no work is left, then counts what is still queued. */
    private int pendingOnceIdle() {
        h.advance(Duration.ofMinutes(3));
        return h.scheduler.pendingCount();
    }

    @Test
    @DisplayName("cancelled while its verification hangs: the verification deadline goes")
    void verificationDeadline() {
        idleBaseline();
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).hangFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.scheduler.pendingCount()).as("the deadline is queued").isGreaterThan(idle);
        h.service.cancel(Harness.PROJECT, handle.backupId());
        assertThat(pendingOnceIdle()).isEqualTo(idle);
        h.probe.failHungVerifications(new IllegalStateException("late"));
    }

    @Test
    @DisplayName("cancelled while copying: the stall check goes")
    void stallCheck() {
        idleBaseline();
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        h.service.cancel(Harness.PROJECT, handle.backupId());
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(pendingOnceIdle()).isEqualTo(idle);
    }

    @Test
    @DisplayName("cancelled while waiting to retry a verification: the retry goes")
    void retry() {
        idleBaseline();
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).unreachableFor(1);
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
        h.service.cancel(Harness.PROJECT, handle.backupId());
        assertThat(pendingOnceIdle()).isEqualTo(idle);
    }
}
