package dev.rdsbackup.core.internal;

import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TaskScheduler} over JDK executors: immediate work on {@code executor}; delayed work waits on
 * {@code timer} and then runs on {@code executor} (or on the timer itself when both are the same).
 */
public final class ExecutorTaskScheduler implements TaskScheduler {
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
        Runnable due = executor == timer ? task : () -> executor.execute(task);
        ScheduledFuture<?> future = timer.schedule(due, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public String toString() {
        return executor == timer ? "TaskScheduler[" + timer + "]" : "TaskScheduler[" + executor + ", " + timer + "]";
    }
}
