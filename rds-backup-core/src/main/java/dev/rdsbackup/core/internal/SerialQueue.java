package dev.rdsbackup.core.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The events of one backup, handled one at a time and in order, without a thread of its own and without a
 * lock held while a task runs. A task submitted from an adapter's callback is drained on the scheduler; a
 * caller of the service (cancel, recover...) may drain in its own thread when nobody else is draining.
 * When the scheduler refuses the drain, the queue says so ({@code stalled}) and waits for {@link #kick()}
 * (the lease tick kicks every queue that holds tasks, and keeps ticking while one is stalled).
 */
final class SerialQueue {
    private final String backupId;
    private final Scheduling scheduling;
    private final Consumer<SerialQueue> stalled;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<SerialQueue> DRAINING = new ThreadLocal<>();

    private final AtomicBoolean draining = new AtomicBoolean();
    /** The sweep epoch the queue was made in: a sweep never forgets a queue made since the last one. */
    final int born;

    SerialQueue(String backupId, int born, Scheduling scheduling, Consumer<SerialQueue> stalled) {
        this.backupId = backupId;
        this.born = born;
        this.scheduling = scheduling;
        this.stalled = stalled;
    }

    /** Queues a task and hands the queue to the scheduler. */
    void submit(Runnable task) {
        tasks.add(task);
        kick();
    }

    /** Queues a task and drains the queue in this thread unless another thread is draining it. */
    void runHere(Runnable task) {
        tasks.add(task);
        drain();
    }

    /**
     * Queues an adapter's answer: on the scheduler, unless this thread is draining this very queue now (the
     * adapter answered at once, in the service's own call), where the running drain picks it up.
     *
     * @return {@code false} if the scheduler refused to drain the queue: the task waits for the next kick
     */
    boolean handOff(Runnable task) {
        tasks.add(task);
        return DRAINING.get() == this || kick();
    }

    /**
     * Handles an adapter's stage: right here if it is already complete when attached (the caller is on this
     * queue), else through {@link #handOff} when it completes.
     */
    <T> void whenComplete(CompletionStage<T> stage, BiConsumer<T, Throwable> handler) {
        Runnable attaching = () -> { };
        AtomicReference<Runnable> slot = new AtomicReference<>(attaching);
        stage.whenComplete((value, failure) -> {
            Runnable step = () -> handler.accept(value, failure);
            if (!slot.compareAndSet(attaching, step)) {
                handOff(step);
            }
        });
        Runnable answered = slot.getAndSet(null);
        if (answered != attaching) {
            answered.run();
        }
    }

    /**
     * Runs a caller's task on this queue in this thread, if no other thread is draining the queue now (or
     * this thread is, one level up: then the task runs at once, between two tasks). It runs before adapter
     * answers that are queued but not handled yet: what the store says decides, and those answers have not
     * reached the store. Events it queues come after those already queued; the caller then drains the queue
     * ({@link #drainHere}) or hands it to the scheduler ({@link #kick}).
     *
     * @return {@code false}, without running the task, if another thread is draining the queue
     */
    boolean runExclusive(Runnable task) {
        if (DRAINING.get() == this) {
            task.run();
            return true;
        }
        if (!draining.compareAndSet(false, true)) {
            return false;
        }
        SerialQueue outer = DRAINING.get();
        DRAINING.set(this);
        try {
            task.run();
        } finally {
            DRAINING.set(outer);
            draining.set(false);
        }
        return true;
    }

    /** Drains what is queued in this thread, unless another thread is draining it. */
    void drainHere() {
        drain();
    }

    /**
     * Hands the queue to the scheduler if it holds work.
     *
     * @return {@code false} if the scheduler refused: left for the next kick (the lease tick kicks every
     *     queue that holds tasks)
     */
    boolean kick() {
        if (!tasks.isEmpty() && !scheduling.execute("the events of backup " + backupId, this::drain)) {
            stalled.accept(this);
            return false;
        }
        return true;
    }

    /** Whether this thread is draining this queue now (a listener calling back into the service, say). */
    boolean isDrainingHere() {
        return DRAINING.get() == this;
    }

    /** Whether no task is waiting. */
    boolean isIdle() {
        return tasks.isEmpty() && !draining.get();
    }

    private void drain() {
        while (!tasks.isEmpty()) {
            if (!draining.compareAndSet(false, true)) {
                return; // the thread draining now picks up what was added
            }
            SerialQueue outer = DRAINING.get();
            DRAINING.set(this);
            try {
                Runnable next;
                while ((next = tasks.poll()) != null) {
                    Scheduling.contain("An event of backup " + backupId, next);
                }
            } finally {
                DRAINING.set(outer);
                draining.set(false);
            }
        }
    }
}
