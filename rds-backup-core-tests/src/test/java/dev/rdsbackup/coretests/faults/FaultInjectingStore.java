package dev.rdsbackup.coretests.faults;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A store with faults as a real database produces them: a write that commits and then throws (the
 * connection dropped before the answer came back), a call that fails before it reaches the database, and
 * a count of every call. Faults are armed for the next calls of one kind, optionally only for records a
 * predicate picks.
 */
public class FaultInjectingStore extends ForwardingBackupStore {
    /** The kinds of store call. */
    public enum Op { CREATE, FIND, FIND_BY_TOKEN, CAS, DELETE, QUERY, EXPIRED_LEASES, RENEW }

    private final Map<Op, Integer> commitThenThrow = new EnumMap<>(Op.class);
    private final Map<Op, Integer> failBefore = new EnumMap<>(Op.class);
    private final Map<Op, Integer> calls = new EnumMap<>(Op.class);
    private Predicate<BackupRecord> casFilter = r -> true;
    private final Map<Op, Integer> thenFail = new EnumMap<>(Op.class);

    /**
     * Wraps a store.
     *
     * @param delegate the real store
     */
    public FaultInjectingStore(BackupStore delegate) {
        super(delegate);
    }

    /** The next {@code n} calls of {@code op} reach the store, take effect, and then throw. */
    public synchronized FaultInjectingStore commitThenThrow(Op op, int n) {
        commitThenThrow.put(op, n);
        return this;
    }

    /**
     * When an armed commit-then-throw fires, the next {@code n} calls of {@code op} fail too (the connection
     * stays down for a while), whatever record they are for.
     */
    public synchronized FaultInjectingStore thenFail(Op op, int n) {
        thenFail.put(op, n);
        return this;
    }

    /** The next {@code n} calls of {@code op} throw before reaching the store. */
    public synchronized FaultInjectingStore failBefore(Op op, int n) {
        failBefore.put(op, n);
        return this;
    }

    /** Only compare-and-set writes whose new content this picks are hit by an armed commit-then-throw. */
    public synchronized FaultInjectingStore onlyWrites(Predicate<BackupRecord> filter) {
        casFilter = filter;
        return this;
    }

    /** How many calls of a kind were made. */
    public synchronized int calls(Op op) {
        return calls.getOrDefault(op, 0);
    }

    private synchronized boolean take(Map<Op, Integer> armed, Op op) {
        int left = armed.getOrDefault(op, 0);
        if (left <= 0) {
            return false;
        }
        armed.put(op, left - 1);
        return true;
    }

    private void before(Op op) {
        synchronized (this) {
            calls.merge(op, 1, Integer::sum);
        }
        if (take(failBefore, op)) {
            throw new IllegalStateException("injected: connection refused before " + op);
        }
    }

    private <T> T after(Op op, T result) {
        if (take(commitThenThrow, op)) {
            synchronized (this) {
                failBefore.putAll(thenFail);
                thenFail.clear();
            }
            throw new IllegalStateException("injected: connection reset after " + op + " committed");
        }
        return result;
    }

    @Override
    public CreateResult create(BackupRecord record) {
        before(Op.CREATE);
        return after(Op.CREATE, super.create(record));
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        before(Op.FIND);
        return after(Op.FIND, super.find(backupId));
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        before(Op.FIND_BY_TOKEN);
        return after(Op.FIND_BY_TOKEN, super.findByClientToken(projectId, clientToken));
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        boolean picked;
        synchronized (this) {
            picked = casFilter.test(next);
        }
        before(Op.CAS);
        Optional<BackupRecord> stored = super.compareAndSet(next, expectedVersion);
        return picked ? after(Op.CAS, stored) : stored;
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        before(Op.DELETE);
        return after(Op.DELETE, super.delete(backupId, expectedVersion));
    }

    @Override
    public BackupPage query(BackupQuery query) {
        before(Op.QUERY);
        return after(Op.QUERY, super.query(query));
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        before(Op.EXPIRED_LEASES);
        return after(Op.EXPIRED_LEASES, super.findExpiredLeases(now, afterId, limit));
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        before(Op.RENEW);
        return after(Op.RENEW, super.renewLeases(owner, backupIds, expiresAt));
    }
}
