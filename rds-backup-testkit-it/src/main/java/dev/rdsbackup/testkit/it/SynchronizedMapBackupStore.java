package dev.rdsbackup.testkit.it;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host's own {@link BackupStore}, as simple as one can be: one map, every method synchronized, every
 * query a scan. It exists to prove that a store written only against the published API passes the
 * testkit's {@code BackupStoreContract}.
 */
public final class SynchronizedMapBackupStore implements BackupStore {

    private final Map<String, BackupRecord> records = new HashMap<>();

    /** An empty store. */
    public SynchronizedMapBackupStore() {
    }

    @Override
    public synchronized CreateResult create(BackupRecord record) {
        if (records.containsKey(record.id())) {
            throw new IllegalArgumentException("duplicate id " + record.id());
        }
        if (record.clientToken() != null) {
            Optional<BackupRecord> sameToken = findByClientToken(record.projectId(), record.clientToken());
            if (sameToken.isPresent()) {
                return new CreateResult.ClientTokenTaken(sameToken.get());
            }
        }
        for (BackupRecord other : records.values()) {
            if (sameInstance(other, record) && other.name().equals(record.name())) {
                return new CreateResult.NameTaken(other);
            }
        }
        if (record.status().isActive()) {
            for (BackupRecord other : records.values()) {
                if (sameInstance(other, record) && other.status().isActive()) {
                    return new CreateResult.InstanceBusy(other);
                }
            }
        }
        BackupRecord stored = record.toBuilder().version(0).build();
        records.put(stored.id(), stored);
        return new CreateResult.Created(stored);
    }

    private static boolean sameInstance(BackupRecord a, BackupRecord b) {
        return a.projectId().equals(b.projectId()) && a.instanceId().equals(b.instanceId());
    }

    @Override
    public synchronized Optional<BackupRecord> find(String backupId) {
        return Optional.ofNullable(records.get(backupId));
    }

    @Override
    public synchronized Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        return records.values().stream()
                .filter(r -> r.projectId().equals(projectId) && clientToken.equals(r.clientToken()))
                .findFirst();
    }

    @Override
    public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        BackupRecord current = records.get(next.id());
        if (current == null || current.version() != expectedVersion) {
            return Optional.empty();
        }
        BackupRecord stored = next.toBuilder().version(expectedVersion + 1).build();
        records.put(stored.id(), stored);
        return Optional.of(stored);
    }

    @Override
    public synchronized boolean delete(String backupId, long expectedVersion) {
        BackupRecord current = records.get(backupId);
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        records.remove(backupId);
        return true;
    }

    @Override
    public synchronized BackupPage query(BackupQuery query) {
        List<BackupRecord> matching = records.values().stream()
                .filter(query::matches)
                .sorted(BackupQuery.NEWEST_FIRST)
                .toList();
        List<BackupRecord> page = matching.stream().skip(query.offset()).limit(query.limit()).toList();
        return new BackupPage(page, matching.size(), query.offset(), query.limit());
    }

    @Override
    public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        return records.values().stream()
                .filter(r -> r.lease() != null && r.lease().isExpiredAt(now))
                .filter(r -> afterId == null || r.id().compareTo(afterId) > 0)
                .sorted(java.util.Comparator.comparing(BackupRecord::id))
                .limit(limit)
                .toList();
    }
}
