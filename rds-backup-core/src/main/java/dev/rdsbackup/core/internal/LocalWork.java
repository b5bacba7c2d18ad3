package dev.rdsbackup.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

        /** Called on the backup's queue when a lease renewal did not renew this work's lease. */
        void leaseNotRenewed();

        /** Called on the backup's queue when the service closes: let the lease lapse. */
        void handOver();
    }

    private final Scheduling scheduling;
    private final Map<String, Work> work = new ConcurrentHashMap<>();
    private final Map<String, SerialQueue> queues = new ConcurrentHashMap<>();
    private volatile Runnable stalled = () -> { };

    LocalWork(Scheduling scheduling) {
        this.scheduling = scheduling;
    }

    /** The event queue of a backup. */
    SerialQueue queue(String backupId) {
        return queues.computeIfAbsent(backupId, id -> new SerialQueue(id, scheduling, () -> stalled.run()));
    }

    /** What to do when the scheduler refuses to drain a queue: make sure the lease tick runs to kick it. */
    void onStalled(Runnable hook) {
        stalled = hook;
    }

    /** Whether some queue holds tasks (one the scheduler refused to drain, say). */
    boolean anyQueued() {
        return queues.values().stream().anyMatch(q -> !q.isIdle());
    }

    /** Hands every queue that holds tasks to the scheduler again (those with no work of this replica too). */
    void kickQueued() {
        queues.values().forEach(SerialQueue::kick);
    }

    /**
     * Runs, in this thread, every task still queued for any backup (a late verification answer carrying a
     * lock, say): used when the service closes, since the host may stop its scheduler right after.
     */
    void drainAllHere() {
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

    /** Forgets the queues of backups with no work and nothing queued. */
    void sweep() {
        queues.entrySet().removeIf(e -> !work.containsKey(e.getKey()) && e.getValue().isIdle());
    }
}
