package dev.rdsbackup.coretests.reliability;

import java.util.EnumMap;
import java.util.Map;

/**
 * Store faults armed by a test: the next {@code n} calls of an operation throw, or the next {@code n}
 * compare-and-sets (or deletes) report a conflict without writing. Shared by every replica's
 * {@link FaultyStore}. Not thread-safe beyond its own monitor: meant for the single-threaded state machine.
 */
final class FaultPlan {

    /** The store operations a fault can target. */
    enum Op { CREATE, FIND, FIND_BY_TOKEN, CAS, DELETE, QUERY, EXPIRED_LEASES }

    private final Map<Op, Integer> failures = new EnumMap<>(Op.class);
    private final Map<Op, Integer> conflicts = new EnumMap<>(Op.class);

    synchronized void failNext(Op op, int n) {
        failures.merge(op, n, Integer::sum);
    }

    /** Only {@link Op#CAS} and {@link Op#DELETE} can report a conflict. */
    synchronized void conflictNext(Op op, int n) {
        if (op != Op.CAS && op != Op.DELETE) {
            throw new IllegalArgumentException("only CAS and DELETE can conflict: " + op);
        }
        conflicts.merge(op, n, Integer::sum);
    }

    synchronized boolean armed() {
        return !failures.isEmpty() || !conflicts.isEmpty();
    }

    synchronized void clear() {
        failures.clear();
        conflicts.clear();
    }

    /** Throws if a failure of {@code op} is armed (and uses it up). */
    void maybeFail(Op op) {
        if (take(failures, op)) {
            throw new IllegalStateException("injected: store unavailable during " + op);
        }
    }

    /** {@code true} if a conflict of {@code op} is armed (and uses it up). */
    boolean conflict(Op op) {
        return take(conflicts, op);
    }

    private synchronized boolean take(Map<Op, Integer> armed, Op op) {
        Integer left = armed.get(op);
        if (left == null) {
            return false;
        }
        if (left <= 1) {
            armed.remove(op);
        } else {
            armed.put(op, left - 1);
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "FaultPlan[fail=" + failures + ", conflict=" + conflicts + "]";
    }
}
