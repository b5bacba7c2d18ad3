package dev.rdsbackup.core.internal;

import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's leases alive: every third of the lease, one {@code store.renewLeases} call with the
 * ids of all the work it holds. A failed renewal is tried again soon; a renewal that renewed fewer leases
 * than are still held makes each piece of work check its record (it may have been ended or taken
 * elsewhere). The tick also kicks the work that owes a step the scheduler refused, so that step is tried
 * again, and it keeps going while there is work: a refused tick is scheduled again by the next one that
 * gets through or the next new work.
 */
final class Leases {
    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final Context c;
    private final AtomicReference<ScheduledTask> next = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile Instant nextDue;
    private final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
    private static final int MAX_REFUSALS_IN_A_ROW = 3;

    Leases(Context context) {
        this.c = context;
    }

    private Duration period() {
        return c.s.leaseDuration().dividedBy(3);
    }

    /**
     * Makes sure a tick is scheduled while there is work. A tick that is long overdue was lost (a scheduler
     * that refused it when it fell due, and then refused to take it back) and is scheduled again.
     */
    void ensureTicking() {
        if (stopped || !hasWork()) {
            return;
        }
        ScheduledTask current = next.get();
        Instant due = nextDue;
        if (current != null && due != null && c.s.clock().instant().isAfter(due.plus(period()))) {
            LOG.warn("The lease renewal due at {} never ran; renewing now", due);
            if (next.compareAndSet(current, null)) {
                Scheduling.cancel(current); // so that no rescue runs the lost tick as a second chain
            }
            scheduleTick(Duration.ZERO);
        } else if (current == null) {
            scheduleTick(period());
        }
    }

    private void scheduleTick(Duration delay) {
        ScheduledTask placeholder = () -> false;
        if (!next.compareAndSet(null, placeholder)) {
            return;
        }
        nextDue = c.s.clock().instant().plus(delay);
        ScheduledTask task = c.scheduling.schedule("the lease renewal", this::tick, delay);
        if (task == null) {
            next.compareAndSet(placeholder, null);
            // A refused renewal must not stop the later ones: ask again from a task of its own (a few times;
            // after that, the next new work, cancel or reconciler run asks again).
            if (refusals.incrementAndGet() <= MAX_REFUSALS_IN_A_ROW
                    && c.scheduling.execute("a new try to schedule the lease renewal", () -> scheduleTick(delay))) {
                return;
            }
            refusals.set(0);
        } else {
            refusals.set(0);
            next.compareAndSet(placeholder, task);
        }
    }

    private void tick() {
        next.set(null);
        if (stopped) {
            return;
        }
        boolean renewed = renew();
        c.local.kickQueued(); // first: only queues left holding tasks are handed over again
        for (LocalWork.Work work : c.local.all()) {
            if (work.owesStep()) {
                c.local.queue(work.id()).submit(work::kick);
            }
        }
        c.scheduling.rescueOverdue();
        if (hasWork()) {
            Duration period = period();
            scheduleTick(renewed ? period : min(period.dividedBy(4), MAX_RETRY));
        }
    }

    /** Whether ticks are needed: work under a lease, or a queue the scheduler refused to drain. */
    private boolean hasWork() {
        return c.local.size() > 0 || c.local.anyStalled();
    }

    /** One renewal of every lease this replica holds; {@code false} if the store failed. */
    boolean renew() {
        List<String> ids = c.local.ids();
        if (ids.isEmpty()) {
            return true;
        }
        Instant expiresAt = c.newLease().expiresAt();
        int count;
        try {
            count = c.s.store().renewLeases(c.s.replicaId(), ids, expiresAt);
        } catch (RuntimeException e) {
            LOG.warn("Renewing {} leases failed; trying again soon: {}", ids.size(), LogSafe.describe(e));
            return false;
        }
        if (count < stillHeld(ids)) {
            LOG.debug("Renewed {} of {} leases; checking the others", count, ids.size());
            for (String id : ids) {
                LocalWork.Work work = c.local.get(id);
                if (work != null) {
                    c.local.queue(id).submit(work::leaseNotRenewed);
                }
            }
        }
        return true;
    }

    /**
     * How many of the ids asked for are still held: work that ended while the renewal ran cleared its own
     * lease, so its id is not renewed and needs no check. (Work taken elsewhere in that same moment may be
     * hidden by it once; the next tick, or the work's own next write, finds it.)
     */
    private int stillHeld(List<String> ids) {
        int held = 0;
        for (String id : ids) {
            if (c.local.get(id) != null) {
                held++;
            }
        }
        return held;
    }

    /** Hands every lease over: expired now, so any replica's reconciler takes the work at once. */
    void handOver(List<String> ids) {
        stopped = true;
        Scheduling.cancel(next.getAndSet(null));
        if (ids.isEmpty()) {
            return;
        }
        try {
            c.s.store().renewLeases(c.s.replicaId(), ids, c.now());
            LOG.info("Replica {} handed over {} pieces of work", c.s.replicaId(), ids.size());
        } catch (RuntimeException e) {
            LOG.warn("Handing over {} leases failed; they expire on their own: {}", ids.size(), LogSafe.describe(e));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
