package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One replica's scheduler, built the way a host builds it, with {@link TaskScheduler#of}, over executors
 * that run in virtual time on a strict {@link ManualScheduler}, and that refuse work as real ones do:
 * <ul>
 *   <li>at submission ({@link #refuseSubmissions}): {@code execute} or {@code schedule} throws
 *       {@link RejectedExecutionException}, as a saturated or shut-down pool does;</li>
 *   <li>when due ({@link #refuseWhenDue}, two-executor variant only): the executor refuses a delayed task
 *       when the timer hands it over; the timer swallows that, as a {@code ScheduledThreadPoolExecutor}
 *       does with what a task throws;</li>
 *   <li>a replica that died ({@link #stop}) runs nothing any more.</li>
 * </ul>
 */
final class ReplicaScheduler {
    final ManualScheduler manual;
    final TaskScheduler tasks;
    final boolean twoExecutors;
    /** What timer tasks threw other than an injected refusal (a real timer would swallow it silently). */
    final List<Throwable> swallowed = new ArrayList<>();
    private final VirtualTimer timer = new VirtualTimer();
    private int refuseSubmissions;
    private int refuseWhenDue;
    private boolean handingOver;
    private boolean stopped;
    private boolean everRefused;
    private int refusals;

    /**
     * @param twoExecutors {@code true} for {@code TaskScheduler.of(executor, timer)}, {@code false} for
     *     {@code TaskScheduler.of(scheduledExecutor)}
     */
    ReplicaScheduler(ManualScheduler manual, boolean twoExecutors) {
        this.manual = manual;
        this.twoExecutors = twoExecutors;
        this.tasks = twoExecutors ? TaskScheduler.of(new VirtualExecutor(), timer) : TaskScheduler.of(timer);
    }

    void refuseSubmissions(int n) {
        refuseSubmissions += n;
    }

    void refuseWhenDue(int n) {
        if (twoExecutors) {
            refuseWhenDue += n;
        }
    }

    void heal() {
        refuseSubmissions = 0;
        refuseWhenDue = 0;
    }

    void stop() {
        stopped = true;
        manual.discardPending();
    }

    /** Whether a refusal is armed now. */
    boolean armed() {
        return refuseSubmissions > 0 || refuseWhenDue > 0;
    }

    /** How many submissions or hand-overs were refused so far. */
    int refusals() {
        return refusals;
    }

    /** Whether any refusal was ever armed. */
    boolean everRefused() {
        return everRefused || refuseSubmissions > 0 || refuseWhenDue > 0;
    }

    private void maybeRefuseSubmission() {
        if (refuseSubmissions > 0) {
            refuseSubmissions--;
            refusals++;
            everRefused = true;
            throw new RejectedExecutionException("injected: the pool is saturated");
        }
    }

    /** The immediate executor of the two-executor variant. */
    private final class VirtualExecutor implements Executor {
        @Override
        public void execute(Runnable task) {
            if (stopped) {
                return;
            }
            if (handingOver) {
                if (refuseWhenDue > 0) {
                    refuseWhenDue--;
                    refusals++;
                    everRefused = true;
                    throw new RejectedExecutionException("injected: the pool refused a task that fell due");
                }
            } else {
                maybeRefuseSubmission();
            }
            manual.execute(task);
        }
    }

    /** A timer (and, in the one-executor variant, the executor too) over the manual scheduler. */
    private final class VirtualTimer extends AbstractExecutorService implements ScheduledExecutorService {
        @Override
        public void execute(Runnable task) {
            if (stopped) {
                return;
            }
            maybeRefuseSubmission();
            manual.execute(() -> runSwallowing(task));
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            if (stopped) {
                return new Scheduled(() -> false);
            }
            maybeRefuseSubmission();
            return new Scheduled(manual.schedule(() -> runSwallowing(task), Duration.ofNanos(unit.toNanos(delay))));
        }

        private void runSwallowing(Runnable task) {
            handingOver = twoExecutors;
            try {
                task.run();
            } catch (RejectedExecutionException refused) {
                if (!refused.getMessage().startsWith("injected")) {
                    swallowed.add(refused);
                }
            } catch (AssertionError strictModeViolation) {
                throw strictModeViolation;
            } catch (Throwable t) { // NOPMD: a real timer swallows everything; the world reports it
                swallowed.add(t);
            } finally {
                handingOver = false;
            }
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException("the service schedules Runnables only");
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
            throw new UnsupportedOperationException("the service schedules one-shot tasks only");
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay,
                TimeUnit unit) {
            throw new UnsupportedOperationException("the service schedules one-shot tasks only");
        }

        @Override
        public void shutdown() {
            stopped = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            stopped = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return stopped;
        }

        @Override
        public boolean isTerminated() {
            return stopped;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return stopped;
        }
    }

    /** A scheduled task as a {@link ScheduledFuture}: only cancelling it means anything to the service. */
    private static final class Scheduled implements ScheduledFuture<Object> {
        private final TaskScheduler.ScheduledTask task;
        private boolean cancelled;

        Scheduled(TaskScheduler.ScheduledTask task) {
            this.task = task;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = task.cancel();
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() throws ExecutionException {
            throw new UnsupportedOperationException("virtual time: never wait on a scheduled task");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws ExecutionException {
            throw new UnsupportedOperationException("virtual time: never wait on a scheduled task");
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
