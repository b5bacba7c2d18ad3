package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When {@code close()} completes: at once with nothing in flight; while work is in flight, at the first
 * check (every sixth of the lease, in the scheduler's time) that finds it done, or at the end of the grace
 * period; and at once if the scheduler refuses the wait.
 */
@DisplayName("Closing a replica, in time")
class ShutdownTimingTest {
    private static final Duration LEASE = Duration.ofMinutes(3);
    private static final Duration STEP = LEASE.dividedBy(6);
    private static final Duration GRACE = Duration.ofMinutes(5);

    private final Harness h = new Harness();

    /** The harness's scheduler, refusing the next {@code refuse} delayed tasks at submission. */
    private final class Refusing implements TaskScheduler {
        int refuse;

        @Override
        public void execute(Runnable task) {
            h.scheduler.execute(task);
        }

        @Override
        public ScheduledTask schedule(Runnable task, Duration delay) {
            if (refuse > 0) {
                refuse--;
                throw new RejectedExecutionException("injected: timer saturated");
            }
            return h.scheduler.schedule(task, delay);
        }
    }

    private final Refusing scheduler = new Refusing();
    private final DefaultBackupService service = h.baseBuilder("replica-s", h.scheduler).scheduler(scheduler)
            .leaseDuration(LEASE).shutdownGracePeriod(GRACE).build();

    private boolean closed() {
        return service.closed().toCompletableFuture().isDone();
    }

    @Test
    @DisplayName("with nothing in flight completes at once")
    void idle() {
        service.close();
        assertThat(closed()).isTrue();
    }

    @Test
    @DisplayName("completes at the first check after the work finished, not at the end of the grace period")
    void atTheNextCheck() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        service.close();
        h.advance(STEP.plus(STEP.dividedBy(2)));
        h.engine.complete(handle.backupId());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(closed()).as("the next check is at two steps").isFalse();
        h.advance(STEP.dividedBy(2).minusMillis(1));
        assertThat(closed()).isFalse();
        h.advance(Duration.ofMillis(1));
        assertThat(closed()).isTrue();
        assertThat(h.stored(handle.backupId()).lease()).isNull();
    }

    @Test
    @DisplayName("with work still in flight completes exactly at the end of the grace period")
    void atTheEndOfTheGrace() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        service.close();
        h.advance(GRACE.minusMillis(1));
        assertThat(closed()).isFalse();
        h.advance(Duration.ofMillis(1));
        assertThat(closed()).isTrue();
        assertThat(service.inFlight()).isZero();
        assertThat(h.stored(handle.backupId()).lease().expiresAt()).as("handed over").isEqualTo(h.clock.instant());
    }

    @Test
    @DisplayName("whose scheduler refuses the wait hands the work over at once")
    void waitRefused() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        scheduler.refuse = 1;
        service.close();
        assertThat(closed()).isTrue();
        assertThat(service.inFlight()).isZero();
        assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant());
    }
}
