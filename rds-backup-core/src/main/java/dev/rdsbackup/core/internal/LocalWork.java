package dev.rdsbackup.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work this replica holds a lease for (a build, a deletion, the obligations of an ended backup), and
 * the serial event queue of every backup it touches. Each piece of work is only ever run on its backup's
 * queue, so it needs no lock of its own.
 */
final class LocalWork {
    /** A piece of work under this replica's lease. */
    interface Work {
        /** The backup. */
        String id();

        /** Called on the lease tick, on the backup's queue: retry what the scheduler refused. */
        void kick();

        /**
         * Whether a step the scheduler refused waits for {@link #kick()}. Read on the lease tick's thread,
         * outside the backup's queue: a stale {@code false} only delays the kick to the next tick, and a stale
         * {@code true} costs one kick that finds nothing to do.
         */
        boolean owesStep();

        /** Called on the backup's queue when a lease renewal did not renew this work's lease. */
        void leaseNotRenewed();

        /** Called on the backup's queue when the service closes: let the lease lapse. */
        void handOver();
    }

    /** Queues kept between sweeps at least; a sweep runs when the map doubles past what is live. */
    private static final int MIN_SWEEP_AT = 1024;

    private final Scheduling scheduling;
    private final Map<String, Work> work = new ConcurrentHashMap<>();
    private final Map<String, SerialQueue> queues = new ConcurrentHashMap<>();
    private final Set<SerialQueue> stalledQueues = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sweepAt = new AtomicInteger(MIN_SWEEP_AT);
    private volatile Runnable stalled = () -> { };
    private volatile int epoch;

    LocalWork(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    /**
     * The event queue of a backup. The queues of backups with no work left are swept once the map has
     * doubled past what was live at the last sweep, so a replica that ends a backup every few microseconds
     * keeps as many queues as it has work, not as many as it ended since the reconciler last ran.
     */
    SerialQueue queue(String backupId) {
        SerialQueue queue = queues.get(backupId);
        if (queue != null) {
            return queue;
        }
        int due = sweepAt.get();
        if (queues.size() >= due && sweepAt.compareAndSet(due, Integer.MAX_VALUE)) {
            sweep(); // sets the next threshold
        }
        return queues.computeIfAbsent(backupId, id -> new SerialQueue(id, epoch, scheduling, this::stalled));
    }

    private void stalled(SerialQueue queue) {
        stalledQueues.add(queue);
        stalled.run();
    }

    /** What to do when the scheduler refuses to drain a queue: make sure the lease tick runs to kick it. */
    void onStalled(Runnable hook) {
        stalled = hook;
    }

    /**
     * Whether some queue the scheduler refused to drain still holds tasks. Costs as much as there are such
     * queues (usually none), not as many queues as there are: it is asked on every service call.
     */
    boolean anyStalled() {
        stalledQueues.removeIf(SerialQueue::isIdle);
        return !stalledQueues.isEmpty();
    }

    /** Whether some queue holds tasks (one the scheduler refused to drain, say); reads every queue. */
    boolean anyQueued() {
        return queues.values().stream().anyMatch(q -> !q.isIdle());
    }

    /**
     * Hands every queue that holds tasks to the scheduler again (those with no work of this replica too):
     * the stalled ones, and any other whose drain a scheduler accepted and then lost.
     */
    void kickQueued() {
        stalledQueues.removeIf(SerialQueue::isIdle);
        List.copyOf(stalledQueues).forEach(SerialQueue::kick); // also one swept from the map meanwhile
        queues.values().forEach(SerialQueue::kick);
    }

    /**
     * Runs, in this thread, every task still queued for any backup (a late verification answer carrying a
     * lock, say): used when the service closes, since the host may stop its scheduler right after.
     */
    void drainAllHere() {
        List.copyOf(stalledQueues).forEach(SerialQueue::drainHere);
        queues.values().forEach(SerialQueue::drainHere);
    }

    /** Starts holding work; replaces what was held for the backup. */
    void hold(Work w) {
        work.put(w.id(), w);
    }

    /** Stops holding exactly this work. */
    void release(Work w) {
        work.remove(w.id(), w);
    }

    /** The work held for a backup, or {@code null}. */
    Work get(String backupId) {
        return work.get(backupId);
    }

    /** Every backup id this replica holds a lease for. */
    List<String> ids() {
        return new ArrayList<>(work.keySet());
    }

    /** Every piece of work held now. */
    List<Work> all() {
        return new ArrayList<>(work.values());
    }

    int size() {
        return work.size();
    }

    /** How many queues are kept now (tests). */
    int queueCount() {
        return queues.size();
    }

    /**
     * Forgets the queues of backups with no work and nothing queued, except those made since the last sweep:
     * work takes its queue just before it is held, and that queue must not be swept in between.
     */
    synchronized void sweep() {
        int current = epoch;
        queues.entrySet().removeIf(e -> e.getValue().born < current && !work.containsKey(e.getKey())
                && e.getValue().isIdle());
        epoch = current + 1;
        sweepAt.set(Math.max(MIN_SWEEP_AT, 2 * queues.size()));
    }
}
