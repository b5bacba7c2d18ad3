package dev.rdsbackup.core;

import dev.rdsbackup.core.internal.ExecutorTaskScheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the service runs its background work and waits: the only way it uses threads or time delays.
 * Hosts pass {@link #of(ScheduledExecutorService)}; tests pass the testkit's manual scheduler, which runs
 * due work when virtual time moves. The service never sleeps and never starts a thread per backup: a wait
 * is a scheduled task that holds no thread.
 */
public interface TaskScheduler {

    /**
     * Runs a task soon, on a thread of the scheduler.
     *
     * @param task the work
     */
    void execute(Runnable task);

    /**
     * Runs a task once after a delay.
     *
     * @param task the work
     * @param delay how long to wait; zero or negative runs it soon
     * @return a handle to cancel the task before it runs
     */
    ScheduledTask schedule(Runnable task, Duration delay);

    /** A task scheduled to run later. */
    interface ScheduledTask {
        /**
         * Cancels the task if it has not started.
         *
         * @return {@code true} if this call stopped it from running
         */
        boolean cancel();
    }

    /**
     * Adapts a JDK scheduled executor. The executor stays the host's: the service never shuts it down.
     * Every verification attempt schedules a timeout that is cancelled when the answer comes; give a
     * {@link java.util.concurrent.ScheduledThreadPoolExecutor} {@code setRemoveOnCancelPolicy(true)} so
     * cancelled timeouts leave its queue at once instead of when they fall due.
     *
     * @param executor the executor, for instance {@code Executors.newScheduledThreadPool(2)}
     * @return the scheduler
     */
    static TaskScheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return new ExecutorTaskScheduler(executor, executor);
    }

    /**
     * Adapts a plain executor for immediate work and a scheduled executor for delays.
     *
     * @param executor runs immediate work
     * @param timer only hands due tasks to {@code executor}
     * @return the scheduler
     */
    static TaskScheduler of(Executor executor, ScheduledExecutorService timer) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(timer, "timer");
        return new ExecutorTaskScheduler(executor, timer);
    }
}
