package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plain, correct store (one map, every method synchronized) whose decisions are overridable one by one,
 * so that each broken store in {@link BrokenStores} differs from a correct one in exactly one place. The
 * map keeps the order of writing, so a store that forgets to sort shows it.
 */
class ReferenceStore implements BackupStore {

    private final Map<String, BackupRecord> records = new LinkedHashMap<>();

    /** The key under which an id is stored and looked up. */
    protected String key(String id) {
        return id;
    }

    /** What the store keeps of a record it writes (the version is set afterwards). */
    protected BackupRecord kept(BackupRecord written) {
        return written;
    }

    /** Whether {@code other} keeps a new record of the same instance from being created. */
    protected boolean blocks(BackupRecord other, BackupRecord record) {
        return other.status() == BackupStatus.BUILDING && record.status() == BackupStatus.BUILDING;
    }

    /** Whether two strings (names, client tokens) are the same. */
    protected boolean same(String a, String b) {
        return a.equals(b);
    }

    /** Whether a record belongs in a listing. */
    protected boolean matches(BackupQuery query, BackupRecord record) {
        return query.matches(record);
    }

    /** The order of listings. */
    protected Comparator<BackupRecord> listingOrder() {
        return BackupQuery.NEWEST_FIRST;
    }

    /** The order of ids for the lease look-up. */
    protected Comparator<String> idOrder() {
        return Comparator.naturalOrder();
    }

    /** Whether a lease counts as expired. */
    protected boolean expired(Lease lease, Instant now) {
        return lease.isExpiredAt(now);
    }

    @Override
    public synchronized CreateResult create(BackupRecord record) {
        if (records.containsKey(key(record.id()))) {
            throw new IllegalArgumentException("duplicate id " + record.id());
        }
        for (BackupRecord other : records.values()) {
            if (other.projectId().equals(record.projectId()) && record.clientToken() != null
                    && other.clientToken() != null && same(other.clientToken(), record.clientToken())) {
                return new CreateResult.ClientTokenTaken(other);
            }
        }
        for (BackupRecord other : records.values()) {
            if (sameInstance(other, record) && same(other.name(), record.name())) {
                return new CreateResult.NameTaken(other);
            }
        }
        for (BackupRecord other : records.values()) {
            if (sameInstance(other, record) && blocks(other, record)) {
                return new CreateResult.InstanceBusy(other);
            }
        }
        BackupRecord stored = kept(record).withVersion(0);
        records.put(key(record.id()), stored);
        return new CreateResult.Created(stored);
    }

    private static boolean sameInstance(BackupRecord a, BackupRecord b) {
        return a.projectId().equals(b.projectId()) && a.instanceId().equals(b.instanceId());
    }

    @Override
    public synchronized Optional<BackupRecord> find(String backupId) {
        return Optional.ofNullable(records.get(key(backupId)));
    }

    @Override
    public synchronized Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        return records.values().stream()
                .filter(r -> r.projectId().equals(projectId) && r.clientToken() != null
                        && same(r.clientToken(), clientToken))
                .findFirst();
    }

    @Override
    public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        BackupRecord current = records.get(key(next.id()));
        if (current == null || current.version() != expectedVersion) {
            return Optional.empty();
        }
        BackupRecord stored = kept(next).withVersion(expectedVersion + 1);
        records.put(key(next.id()), stored);
        return Optional.of(stored);
    }

    @Override
    public synchronized boolean delete(String backupId, long expectedVersion) {
        BackupRecord current = records.get(key(backupId));
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        records.remove(key(backupId));
        return true;
    }

    @Override
    public synchronized BackupPage query(BackupQuery query) {
        List<BackupRecord> matching = records.values().stream().filter(r -> matches(query, r))
                .sorted(listingOrder()).toList();
        List<BackupRecord> page = matching.stream().skip(query.offset()).limit(query.limit()).toList();
        return new BackupPage(page, matching.size(), query.offset(), query.limit());
    }

    @Override
    public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        return records.values().stream()
                .filter(r -> r.lease() != null && expired(r.lease(), now))
                .filter(r -> afterId == null || idOrder().compare(r.id(), afterId) > 0)
                .sorted(Comparator.comparing(BackupRecord::id, idOrder()))
                .limit(limit)
                .toList();
    }

    /** Stores a record as it is, without any check: for stores that check elsewhere. */
    protected synchronized void put(BackupRecord record) {
        records.put(key(record.id()), record);
    }

    /** Removes a record without any check. */
    protected synchronized void remove(String backupId) {
        records.remove(key(backupId));
    }

    /** Every record in the order written, for stores that answer unsorted. */
    protected synchronized List<BackupRecord> inWritingOrder() {
        return List.copyOf(records.values());
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        return BackupStore.super.renewLeases(owner, backupIds, expiresAt);
    }
}
