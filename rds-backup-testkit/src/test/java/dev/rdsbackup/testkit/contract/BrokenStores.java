package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores with one deliberate bug each, and the contract bound to each of them. Run only through the
 * JUnit Platform Launcher by {@link BrokenStoresFailTheContractTest} (the file name keeps surefire away).
 */
final class BrokenStores {

    private BrokenStores() {
    }

    /** Checks the three conditions, then writes, without holding anything in between. */
    static final class NonAtomicCreateStore extends ForwardingBackupStore {
        private final Map<String, BackupRecord> records = new ConcurrentHashMap<>();

        NonAtomicCreateStore() {
            super(new InMemoryBackupStore());
        }

        @Override
        public CreateResult create(BackupRecord record) {
            for (BackupRecord other : records.values()) {
                if (!other.projectId().equals(record.projectId())) {
                    continue;
                }
                if (record.clientToken() != null && record.clientToken().equals(other.clientToken())) {
                    return new CreateResult.ClientTokenTaken(other);
                }
                if (other.instanceId().equals(record.instanceId()) && other.name().equals(record.name())) {
                    return new CreateResult.NameTaken(other);
                }
                if (other.instanceId().equals(record.instanceId()) && record.status() == BackupStatus.BUILDING
                        && other.status() == BackupStatus.BUILDING) {
                    return new CreateResult.InstanceBusy(other);
                }
            }
            // The race window a check-then-insert store has; yielding widens it on small machines.
            Thread.yield();
            BackupRecord stored = record.toBuilder().version(0).build();
            records.put(stored.id(), stored);
            return new CreateResult.Created(stored);
        }

        @Override
        public Optional<BackupRecord> find(String backupId) {
            return Optional.ofNullable(records.get(backupId));
        }

        @Override
        public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
            return records.values().stream()
                    .filter(r -> r.projectId().equals(projectId) && clientToken.equals(r.clientToken())).findFirst();
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
            return current != null && current.version() == expectedVersion && records.remove(backupId, current);
        }

        @Override
        public BackupPage query(BackupQuery query) {
            List<BackupRecord> matching = records.values().stream().filter(query::matches)
                    .sorted(BackupQuery.NEWEST_FIRST).toList();
            List<BackupRecord> page = matching.stream().skip(query.offset()).limit(query.limit()).toList();
            return new BackupPage(page, matching.size(), query.offset(), query.limit());
        }

        @Override
        public List<BackupRecord> findExpiredLeases(Instant now, int limit) {
            return records.values().stream()
                    .filter(r -> r.status().isInProgress() && r.lease() != null && r.lease().isExpiredAt(now))
                    .limit(limit).toList();
        }
    }

    /** Writes whatever version is stored now: lost updates. */
    static final class VersionBlindStore extends ForwardingBackupStore {
        VersionBlindStore() {
            super(new InMemoryBackupStore());
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            return delegate().find(next.id()).flatMap(current -> delegate().compareAndSet(next, current.version()));
        }
    }

    /** Off by one on every page after the first: one record per page boundary is never listed. */
    static final class SkippingPagesStore extends ForwardingBackupStore {
        SkippingPagesStore() {
            super(new InMemoryBackupStore());
        }

        @Override
        public BackupPage query(BackupQuery query) {
            if (query.offset() == 0) {
                return delegate().query(query);
            }
            BackupPage shifted = delegate().query(query.toBuilder().offset(query.offset() + 1).build());
            return new BackupPage(shifted.items(), shifted.totalCount(), query.offset(), query.limit());
        }
    }

    /** The contract run against {@link NonAtomicCreateStore}. */
    static class NonAtomicCreateKit extends BackupStoreContract {
        @Override
        protected BackupStore createStore() {
            return new NonAtomicCreateStore();
        }
    }

    /** The contract run against {@link VersionBlindStore}. */
    static class VersionBlindKit extends BackupStoreContract {
        @Override
        protected BackupStore createStore() {
            return new VersionBlindStore();
        }
    }

    /** The contract run against {@link SkippingPagesStore}. */
    static class SkippingPagesKit extends BackupStoreContract {
        @Override
        protected BackupStore createStore() {
            return new SkippingPagesStore();
        }
    }
}
