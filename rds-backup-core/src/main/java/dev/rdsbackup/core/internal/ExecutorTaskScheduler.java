package dev.rdsbackup.core.internal;

import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskScheduler} over JDK executors: immediate work on {@code executor}; delayed work waits on
 * {@code timer} and then runs on {@code executor} (or on the timer itself when both are the same).
 */
public final class ExecutorTaskScheduler implements TaskScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTaskScheduler.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);
    /** The longest delay handed to the timer; the service's own delays are capped far below it. */
    private static final Duration MAX_DELAY = Duration.ofDays(366);

    private final Executor executor;
    private final ScheduledExecutorService timer;

    /**
     * Creates the scheduler.
     *
     * @param executor runs immediate work and, unless it is the timer, delayed work once due
     * @param timer waits for delays
     */
    public ExecutorTaskScheduler(Executor executor, ScheduledExecutorService timer) {
        this.executor = executor;
        this.timer = timer;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public ScheduledTask schedule(Runnable task, Duration delay) {
        Handover handover = new Handover(task);
        handover.future = timer.schedule(executor == timer ? task : handover, nanos(delay), TimeUnit.NANOSECONDS);
        return handover::cancel;
    }

    private static long nanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY.toNanos() : delay.toNanos();
    }

    /**
     * Hands a due task from the timer to the executor. An executor that refuses it (saturated, say) is asked
     * again after a pause that doubles up to {@link #MAX_RETRY}: a refusal when a task falls due never drops
     * it silently. Only a timer that refuses too (it was shut down) ends the retries.
     */
    private final class Handover implements Runnable {
        private final Runnable task;
        private volatile ScheduledFuture<?> future;
        private volatile boolean cancelled;
        private long pauseMillis = FIRST_RETRY.toMillis();

        Handover(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.warn("The executor refused a due task; handing it over again in {} ms: {}", pauseMillis,
                        LogSafe.describe(e));
                long pause = pauseMillis;
                pauseMillis = Math.min(pauseMillis * 2, MAX_RETRY.toMillis());
                try {
                    future = timer.schedule(this, pause, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    LOG.warn("The timer refused too; the task is dropped: {}", LogSafe.describe(stopped));
                }
            }
        }

        boolean cancel() {
            cancelled = true;
            ScheduledFuture<?> f = future;
            return f != null && f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return executor == timer ? "TaskScheduler[" + timer + "]" : "TaskScheduler[" + executor + ", " + timer + "]";
    }
}
