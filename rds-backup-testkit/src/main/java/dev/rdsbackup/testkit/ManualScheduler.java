package dev.rdsbackup.testkit;

import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A {@link TaskScheduler} that runs nothing by itself: work waits in a queue until the test moves virtual
 * time with {@link #advance(Duration)} or runs what is due with {@link #runPending()}. Tasks run on the
 * calling (test) thread, one at a time, in due order; tasks due at the same instant run in the order they
 * were submitted, so a test is deterministic.
 *
 * <p>{@link #execute(Runnable)} queues a task due now; {@link #schedule(Runnable, Duration)} queues one
 * due after the delay, measured on the {@link SettableClock}. Tasks may submit more tasks; those run in the
 * same call if they fall due in the window being run.
 *
 * <p>A task that throws stops the run: the exception is recorded in {@link #taskFailures()} and rethrown to
 * the test, since the service is expected to handle its own failures.
 *
 * <p><b>Strict mode</b> ({@link #strict(SettableClock)}): the scheduler belongs to the thread that created
 * it, and a call to {@code execute} or {@code schedule} from any other thread (work that escaped to a real
 * thread, for example a {@code CompletableFuture} default executor) is refused with an
 * {@link IllegalStateException}, recorded in {@link #threadViolations()}, and reported again as an
 * {@link AssertionError} by the next {@link #advance}, {@link #runPending()} or {@link #verifyNoViolations()}.
 *
 * <p>Thread-safe: the queue may be read and fed from any thread (in lenient mode).
 */
public final class ManualScheduler implements TaskScheduler {

    /** The most tasks one run executes before it gives up on a task that keeps rescheduling itself. */
    public static final int MAX_TASKS_PER_RUN = 1_000_000;

    private final SettableClock clock;
    private final Thread owner;
    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>(Comparator.comparing(Entry::due).thenComparingLong(Entry::sequence));
    private final List<String> violations = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private long nextSequence;
    private long executed;

    /**
     * A lenient scheduler: any thread may submit work.
     *
     * @param clock the virtual clock it reads and moves
     */
    public ManualScheduler(SettableClock clock) {
        this(clock, null);
    }

    private ManualScheduler(SettableClock clock, Thread owner) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = owner;
    }

    /**
     * A strict scheduler owned by the calling thread: work submitted from another thread fails loudly.
     *
     * @param clock the virtual clock it reads and moves
     * @return the scheduler
     */
    public static ManualScheduler strict(SettableClock clock) {
        return new ManualScheduler(clock, Thread.currentThread());
    }

    /** The clock this scheduler reads and moves. */
    public SettableClock clock() {
        return clock;
    }

    /** {@code true} if this scheduler refuses work from threads other than its owner. */
    public boolean isStrict() {
        return owner != null;
    }

    @Override
    public void execute(Runnable task) {
        enqueue(task, Duration.ZERO);
    }

    @Override
    public ScheduledTask schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return enqueue(task, delay.isNegative() ? Duration.ZERO : delay);
    }

    private Entry enqueue(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        checkThread();
        synchronized (this) {
            Entry entry = new Entry(task, clock.instant().plus(delay), nextSequence++);
            queue.add(entry);
            return entry;
        }
    }

    private void checkThread() {
        if (owner != null && Thread.currentThread() != owner) {
            String message = "work was submitted to the ManualScheduler from thread '"
                    + Thread.currentThread().getName() + "', not from its owner '" + owner.getName()
                    + "': something escaped to a real thread";
            synchronized (this) {
                violations.add(message);
            }
            throw new IllegalStateException(message);
        }
    }

    /**
     * Runs every task due now (at or before the clock's instant), including tasks they submit that are due
     * now too. The clock does not move.
     *
     * @return how many tasks ran
     * @throws AssertionError if a strict-mode violation was recorded
     */
    public int runPending() {
        return runUntil(clock.instant());
    }

    /**
     * The same as {@link #runPending()}: runs until no task is due now.
     *
     * @return how many tasks ran
     */
    public int runUntilIdle() {
        return runPending();
    }

    /**
     * Moves virtual time forward by {@code amount}, task by task: the clock is set to each task's due time
     * before the task runs, so the task sees the time it was scheduled for. Ends with the clock at the
     * start instant plus {@code amount}.
     *
     * @param amount zero or positive
     * @return how many tasks ran
     * @throws AssertionError if a strict-mode violation was recorded
     */
    public int advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("amount must not be negative, was " + amount);
        }
        return advanceTo(clock.instant().plus(amount));
    }

    /**
     * Moves virtual time forward to {@code target} (not back), running due tasks on the way as
     * {@link #advance(Duration)} does.
     *
     * @param target the instant to reach
     * @return how many tasks ran
     */
    public int advanceTo(Instant target) {
        Objects.requireNonNull(target, "target");
        int ran = runUntil(target);
        clock.advanceTo(target);
        return ran;
    }

    /**
     * Moves time to the next task's due time and runs every task due then.
     *
     * @return how many tasks ran (0 if the queue is empty)
     */
    public int advanceToNextTask() {
        Optional<Instant> next = nextDueTime();
        return next.map(this::advanceTo).orElse(0);
    }

    private int runUntil(Instant limit) {
        verifyNoViolations();
        int ran = 0;
        while (true) {
            Entry entry;
            synchronized (this) {
                entry = queue.peek();
                if (entry == null || entry.due().isAfter(limit)) {
                    return ran;
                }
                queue.poll();
                entry.started = true;
                executed++;
            }
            if (++ran > MAX_TASKS_PER_RUN) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_RUN
                        + " tasks ran in one call: a task keeps rescheduling itself without a delay");
            }
            clock.advanceTo(entry.due());
            try {
                entry.task().run();
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    failures.add(e);
                }
                throw e;
            }
            verifyNoViolations();
        }
    }

    /** How many tasks wait to run, due now or later (cancelled ones are gone). */
    public synchronized int pendingCount() {
        return queue.size();
    }

    /** How many tasks are due at or before the clock's instant and wait to run. */
    public synchronized int dueCount() {
        Instant now = clock.instant();
        return (int) queue.stream().filter(e -> !e.due().isAfter(now)).count();
    }

    /** When the next task is due, if any waits. */
    public synchronized Optional<Instant> nextDueTime() {
        Entry first = queue.peek();
        return first == null ? Optional.empty() : Optional.of(first.due());
    }

    /** How many tasks ran since the scheduler was created. */
    public synchronized long executedCount() {
        return executed;
    }

    /**
     * Throws every waiting task away without running it, as if the process running them had died.
     *
     * @return how many were discarded
     */
    public synchronized int discardPending() {
        int size = queue.size();
        queue.clear();
        return size;
    }

    /** What threads broke strict mode, in order (empty in lenient mode). */
    public synchronized List<String> threadViolations() {
        return List.copyOf(violations);
    }

    /** Exceptions thrown by tasks, in order. */
    public synchronized List<Throwable> taskFailures() {
        return List.copyOf(failures);
    }

    /**
     * Fails if work was submitted from a foreign thread in strict mode.
     *
     * @throws AssertionError listing the violations
     */
    public void verifyNoViolations() {
        List<String> seen = threadViolations();
        if (!seen.isEmpty()) {
            throw new AssertionError("ManualScheduler strict mode: " + String.join("; ", seen));
        }
    }

    @Override
    public synchronized String toString() {
        return "ManualScheduler[now=" + clock.instant() + ", pending=" + queue.size() + ", strict=" + isStrict() + "]";
    }

    private final class Entry implements ScheduledTask {
        private final Runnable task;
        private final Instant due;
        private final long sequence;
        private boolean started;

        Entry(Runnable task, Instant due, long sequence) {
            this.task = task;
            this.due = due;
            this.sequence = sequence;
        }

        Runnable task() {
            return task;
        }

        Instant due() {
            return due;
        }

        long sequence() {
            return sequence;
        }

        @Override
        public boolean cancel() {
            synchronized (ManualScheduler.this) {
                return !started && queue.remove(this);
            }
        }
    }
}
