package dev.rdsbackup.core.internal;

import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's only way to the host's {@link TaskScheduler}. A refusal (any exception from the scheduler)
 * is answered, not thrown: the caller retries or ends the work. Every task is guarded so that nothing it
 * throws reaches the scheduler's thread, and an {@link Error} other than a {@link VirtualMachineError} is
 * logged like any other failure.
 *
 * <p>A delayed task is remembered until it runs or is cancelled: a scheduler may accept it and then lose it
 * (refused when it fell due, and refused again when handed back). {@link #rescueOverdue()}, called on every
 * lease tick and reconciler run, hands every overdue task to the scheduler again; each task runs at most
 * once, whichever hand-over gets there first.
 */
public final class Scheduling {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduling.class);
    /** Due times further away are taken as this far (no instant overflows); the service's are far shorter. */
    private static final Duration LONGEST_WAIT = Duration.ofDays(400);

    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Map<Delayed, Instant> delayed = new ConcurrentHashMap<>();

    /**
     * Wraps the host's scheduler.
     *
     * @param scheduler the scheduler
     * @param clock tells when a delayed task is overdue
     */
    public Scheduling(TaskScheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Runs a task soon.
     *
     * @param what names the task in logs
     * @param task the work
     * @return {@code false} if the scheduler refused it
     */
    boolean execute(String what, Runnable task) {
        try {
            scheduler.execute(guarded(what, task));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("The scheduler refused {}: {}", what, LogSafe.describe(e));
            return false;
        }
    }

    /**
     * Runs a task after a delay.
     *
     * @param what names the task in logs
     * @param task the work
     * @param delay the delay
     * @return a handle, or {@code null} if the scheduler refused it
     */
    ScheduledTask schedule(String what, Runnable task, Duration delay) {
        Delayed once = new Delayed(what, task);
        delayed.put(once, dueAfter(delay));
        try {
            ScheduledTask handle = scheduler.schedule(guarded(what, once), delay);
            return () -> {
                once.cancel();
                return handle != null && handle.cancel();
            };
        } catch (RuntimeException e) {
            delayed.remove(once);
            LOG.warn("The scheduler refused {}: {}", what, LogSafe.describe(e));
            return null;
        }
    }

    private Instant dueAfter(Duration delay) {
        Duration wait = delay.isNegative() ? Duration.ZERO : delay;
        return clock.instant().plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait);
    }

    /**
     * Hands every delayed task that is due and has not run to the scheduler again (it may have been lost
     * when it fell due). A task the scheduler runs twice this way runs once; one refused again stays owed.
     */
    void rescueOverdue() {
        Instant now = clock.instant();
        delayed.forEach((task, due) -> {
            if (!due.isAfter(now) && !task.done.get()) {
                execute(task.what + " (overdue)", task);
            }
        });
    }

    /** A delayed task that runs at most once, and is forgotten once it ran or was cancelled. */
    private final class Delayed implements Runnable {
        private final String what;
        private final Runnable task;
        private final AtomicBoolean done = new AtomicBoolean();

        Delayed(String what, Runnable task) {
            this.what = what;
            this.task = task;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                delayed.remove(this);
                task.run();
            }
        }

        void cancel() {
            done.set(true);
            delayed.remove(this);
        }
    }

    static void cancel(ScheduledTask task) {
        if (task != null) {
            try {
                task.cancel();
            } catch (RuntimeException e) {
                LOG.debug("Cancelling a scheduled task failed: {}", LogSafe.describe(e));
            }
        }
    }

    /** Runs {@code task}, containing whatever it throws (a virtual machine error is rethrown once logged). */
    static void contain(String what, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) { // NOPMD: checked exceptions thrown sneakily by adapters and listeners too
            LOG.warn("{} failed: {}", what, LogSafe.describe(t));
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> contain(what, task);
    }
}
