package dev.rdsbackup.coretests.reliability;

import java.util.EnumMap;
import java.util.Map;

/**
 * Store faults armed by a test, shared by every replica's {@link FaultyStore}. A fault targets the next
 * {@code n} calls of one operation, in one of the ways a real store fails:
 * <ul>
 *   <li>{@link Mode#THROW}: the call throws before it reaches the store (nothing is written);</li>
 *   <li>{@link Mode#CONFLICT}: a compare-and-set or delete answers "version differs" without writing;</li>
 *   <li>{@link Mode#COMMIT_THEN_THROW}: a write commits and then throws (a connection lost during the commit:
 *       the caller cannot tell whether it landed);</li>
 *   <li>{@link Mode#COMMIT_THEN_THROW_AND_REREADS_FAIL}: the same, and the next reads ({@code find},
 *       {@code findByClientToken}) right after it throw too, as they do while a database is failing over.</li>
 * </ul>
 * It also remembers whether any store fault was ever armed: only a sequence without one must release every
 * lock exactly once (with faults, at least once). Not thread-safe beyond its own monitor: meant for the
 * single-threaded state machine.
 */
final class FaultPlan {

    /** The store operations a fault can target. */
    enum Op {
        CREATE, FIND, FIND_BY_TOKEN, CAS, DELETE, QUERY, EXPIRED_LEASES, RENEW;

        boolean isWrite() {
            return this == CREATE || this == CAS || this == DELETE || this == RENEW;
        }
    }

    /** How a call fails. */
    enum Mode {
        THROW, CONFLICT, COMMIT_THEN_THROW, COMMIT_THEN_THROW_AND_REREADS_FAIL;

        boolean commits() {
            return this == COMMIT_THEN_THROW || this == COMMIT_THEN_THROW_AND_REREADS_FAIL;
        }
    }

    /** How many reads fail right after a write that committed and then threw, in that mode. */
    static final int FAILED_REREADS = 2;

    private final Map<Mode, Map<Op, Integer>> armed = new EnumMap<>(Mode.class);
    private boolean everArmed;
    private long committedThenThrew;
    private final java.util.Set<String> endingsInDoubt = new java.util.HashSet<>();

    /**
     * Arms a fault.
     *
     * @throws IllegalArgumentException for a combination no store produces (a conflict of a read, a
     *     commit of a read)
     */
    synchronized void arm(Op op, Mode mode, int n) {
        if (mode == Mode.CONFLICT && op != Op.CAS && op != Op.DELETE) {
            throw new IllegalArgumentException("only CAS and DELETE can conflict: " + op);
        }
        if (mode.commits() && !op.isWrite()) {
            throw new IllegalArgumentException("only writes commit: " + op);
        }
        armed.computeIfAbsent(mode, m -> new EnumMap<>(Op.class)).merge(op, n, Integer::sum);
        everArmed = true;
    }

    synchronized boolean armed() {
        return armed.values().stream().anyMatch(m -> !m.isEmpty());
    }

    /** Whether any store fault was armed since the world began (even if used up or cleared since). */
    synchronized boolean everArmed() {
        return everArmed;
    }

    /** How many writes committed and then threw so far. */
    /** Backups an ending was written for that committed and then threw: the writer may not know it landed. */
    synchronized void endingInDoubt(String backupId) {
        endingsInDoubt.add(backupId);
    }

    /** See {@link #endingInDoubt}. */
    synchronized boolean wasEndingInDoubt(String backupId) {
        return endingsInDoubt.contains(backupId);
    }

    synchronized long committedThenThrew() {
        return committedThenThrew;
    }

    synchronized void clear() {
        armed.clear();
    }

    /** Throws if a failure of {@code op} before the store is armed (and uses it up). */
    void maybeFail(Op op) {
        if (take(Mode.THROW, op)) {
            throw new IllegalStateException("injected: store unavailable during " + op);
        }
    }

    /** {@code true} if a conflict of {@code op} is armed (and uses it up). */
    boolean conflict(Op op) {
        return take(Mode.CONFLICT, op);
    }

    /**
     * Called after a write committed: throws if a commit-then-throw of {@code op} is armed (and uses it up),
     * arming failing re-reads first if that mode says so.
     */
    void afterCommit(Op op) {
        boolean rereadsFail = take(Mode.COMMIT_THEN_THROW_AND_REREADS_FAIL, op);
        if (rereadsFail || take(Mode.COMMIT_THEN_THROW, op)) {
            synchronized (this) {
                committedThenThrew++;
                if (rereadsFail) {
                    Map<Op, Integer> fail = armed.computeIfAbsent(Mode.THROW, m -> new EnumMap<>(Op.class));
                    fail.merge(Op.FIND, FAILED_REREADS, Integer::sum);
                    fail.merge(Op.FIND_BY_TOKEN, FAILED_REREADS, Integer::sum);
                }
            }
            throw new IllegalStateException("injected: connection lost while committing " + op
                    + " (the write landed)");
        }
    }

    private synchronized boolean take(Mode mode, Op op) {
        Map<Op, Integer> byOp = armed.get(mode);
        Integer left = byOp == null ? null : byOp.get(op);
        if (left == null) {
            return false;
        }
        if (left <= 1) {
            byOp.remove(op);
        } else {
            byOp.put(op, left - 1);
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return "FaultPlan" + armed;
    }
}
