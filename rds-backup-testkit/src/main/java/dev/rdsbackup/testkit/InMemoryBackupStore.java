package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.testkit.internal.NewestFirstKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link BackupStore} in memory with every guarantee a real store must give, for tests and for
 * single-process prototypes. It passes {@code BackupStoreContract}.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>{@link #create} checks client token (per project), name (per project and instance,
 *       case-sensitive) and the one {@code BUILDING} backup per instance in one atomic step, in that
 *       order, and stores the record with version 0. A record whose id is already stored is refused with
 *       {@link IllegalArgumentException}.</li>
 *   <li>{@link #compareAndSet} replaces the record only if the stored version matches and stores it with
 *       the next version. It refuses, with {@link IllegalArgumentException}, a change of project, instance,
 *       name or client token: those are fixed at creation.</li>
 *   <li>{@link #delete} removes only at the expected version; the name and client token become free.</li>
 *   <li>{@link #query} walks a per-project or per-instance index kept in {@link BackupQuery#NEWEST_FIRST}
 *       order, narrowed to the begin-time window, so a page costs {@code O(log n + offset + limit)} when
 *       only project, instance and window are given; the total count of an unfiltered listing is the
 *       index's size. Type and status filters are applied while walking.</li>
 *   <li>{@link #findExpiredLeases} looks only at records whose work is in progress.</li>
 * </ul>
 *
 * <p>Thread-safe: writes are serialised by a lock, reads share it. Not final, and every SPI method is
 * public, so a test can wrap or subclass it to inject faults (throw before delegating, delay an answer,
 * lose a write).
 */
public class InMemoryBackupStore implements BackupStore {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, BackupRecord> byId = new HashMap<>();
    private final Map<String, NavigableMap<NewestFirstKey, BackupRecord>> byProject = new HashMap<>();
    private final Map<Scope, NavigableMap<NewestFirstKey, BackupRecord>> byInstance = new HashMap<>();
    private final Map<Scope, Map<String, String>> namesByInstance = new HashMap<>();
    private final Map<String, Map<String, String>> tokensByProject = new HashMap<>();
    private final Map<Scope, String> buildingByInstance = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();

    /** An empty store. */
    public InMemoryBackupStore() {
    }

    @Override
    public CreateResult create(BackupRecord record) {
        Objects.requireNonNull(record, "record");
        lock.writeLock().lock();
        try {
            if (byId.containsKey(record.id())) {
                throw new IllegalArgumentException("a record with id " + record.id() + " is already stored");
            }
            Scope scope = Scope.of(record);
            if (record.clientToken() != null) {
                String tokenOwner = tokensByProject.getOrDefault(record.projectId(), Map.of()).get(record.clientToken());
                if (tokenOwner != null) {
                    return new CreateResult.ClientTokenTaken(byId.get(tokenOwner));
                }
            }
            String nameOwner = namesByInstance.getOrDefault(scope, Map.of()).get(record.name());
            if (nameOwner != null) {
                return new CreateResult.NameTaken(byId.get(nameOwner));
            }
            if (record.status() == BackupStatus.BUILDING) {
                String active = buildingByInstance.get(scope);
                if (active != null) {
                    return new CreateResult.InstanceBusy(byId.get(active));
                }
            }
            BackupRecord stored = record.version() == 0 ? record : record.toBuilder().version(0).build();
            byId.put(stored.id(), stored);
            index(scope, stored);
            namesByInstance.computeIfAbsent(scope, k -> new HashMap<>()).put(stored.name(), stored.id());
            if (stored.clientToken() != null) {
                tokensByProject.computeIfAbsent(stored.projectId(), k -> new HashMap<>())
                        .put(stored.clientToken(), stored.id());
            }
            return new CreateResult.Created(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        Objects.requireNonNull(backupId, "backupId");
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(backupId));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(clientToken, "clientToken");
        lock.readLock().lock();
        try {
            String id = tokensByProject.getOrDefault(projectId, Map.of()).get(clientToken);
            return id == null ? Optional.empty() : Optional.of(byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        Objects.requireNonNull(next, "next");
        lock.writeLock().lock();
        try {
            BackupRecord current = byId.get(next.id());
            if (current == null || current.version() != expectedVersion) {
                return Optional.empty();
            }
            requireSame("projectId", current.projectId(), next.projectId());
            requireSame("instanceId", current.instanceId(), next.instanceId());
            requireSame("name", current.name(), next.name());
            requireSame("clientToken", current.clientToken(), next.clientToken());
            BackupRecord stored = next.withVersion(expectedVersion + 1);
            Scope scope = Scope.of(current);
            byId.put(stored.id(), stored);
            if (current.beginTime().equals(stored.beginTime())) {
                replaceIndexed(scope, current, stored);
            } else {
                unindex(scope, current);
                index(scope, stored);
            }
            return Optional.of(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void requireSame(String field, Object stored, Object next) {
        if (!Objects.equals(stored, next)) {
            throw new IllegalArgumentException(field + " is fixed at creation and cannot be changed by compareAndSet");
        }
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        Objects.requireNonNull(backupId, "backupId");
        lock.writeLock().lock();
        try {
            BackupRecord current = byId.get(backupId);
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            Scope scope = Scope.of(current);
            unindex(scope, current);
            byId.remove(backupId);
            Map<String, String> names = namesByInstance.get(scope);
            names.remove(current.name());
            if (names.isEmpty()) {
                namesByInstance.remove(scope);
            }
            if (current.clientToken() != null) {
                Map<String, String> tokens = tokensByProject.get(current.projectId());
                tokens.remove(current.clientToken());
                if (tokens.isEmpty()) {
                    tokensByProject.remove(current.projectId());
                }
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public BackupPage query(BackupQuery query) {
        Objects.requireNonNull(query, "query");
        lock.readLock().lock();
        try {
            NavigableMap<NewestFirstKey, BackupRecord> index = query.instanceId() == null
                    ? byProject.get(query.projectId())
                    : byInstance.get(new Scope(query.projectId(), query.instanceId()));
            if (index == null) {
                return new BackupPage(List.of(), 0, query.offset(), query.limit());
            }
            NavigableMap<NewestFirstKey, BackupRecord> window = NewestFirstKey.window(
                    index, query.windowStart(), query.windowEnd());
            boolean filtered = query.type() != null || !query.statuses().isEmpty();
            List<BackupRecord> items = new ArrayList<>(Math.min(query.limit(), window.size()));
            long seen = 0;
            for (BackupRecord record : window.values()) {
                if (filtered && !query.matches(record)) {
                    continue;
                }
                if (seen >= query.offset() && items.size() < query.limit()) {
                    items.add(record);
                }
                seen++;
                if (!filtered && items.size() == query.limit()) {
                    break;
                }
            }
            long total = filtered ? seen : window.size();
            return new BackupPage(items, total, query.offset(), query.limit());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, was " + limit);
        }
        lock.readLock().lock();
        try {
            List<BackupRecord> expired = new ArrayList<>();
            for (String id : inProgress) {
                if (expired.size() >= limit) {
                    break;
                }
                BackupRecord record = byId.get(id);
                if (record.lease() != null && record.lease().isExpiredAt(now)) {
                    expired.add(record);
                }
            }
            return expired;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many records are stored. */
    public int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every stored record, newest first, across all projects: for assertions. */
    public List<BackupRecord> all() {
        lock.readLock().lock();
        try {
            List<BackupRecord> all = new ArrayList<>(byId.values());
            all.sort(BackupQuery.NEWEST_FIRST);
            return Collections.unmodifiableList(all);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Removes every record. */
    public void clear() {
        lock.writeLock().lock();
        try {
            byId.clear();
            byProject.clear();
            byInstance.clear();
            namesByInstance.clear();
            tokensByProject.clear();
            buildingByInstance.clear();
            inProgress.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void index(Scope scope, BackupRecord record) {
        NewestFirstKey key = NewestFirstKey.of(record);
        byProject.computeIfAbsent(record.projectId(), k -> new TreeMap<>()).put(key, record);
        byInstance.computeIfAbsent(scope, k -> new TreeMap<>()).put(key, record);
        if (record.status() == BackupStatus.BUILDING) {
            buildingByInstance.put(scope, record.id());
        }
        if (record.status().isInProgress()) {
            inProgress.add(record.id());
        }
    }

    /** Replaces a record whose sort key did not change: no index is re-balanced. */
    private void replaceIndexed(Scope scope, BackupRecord current, BackupRecord stored) {
        NewestFirstKey key = NewestFirstKey.of(stored);
        byProject.get(stored.projectId()).put(key, stored);
        byInstance.get(scope).put(key, stored);
        if (current.status() != stored.status()) {
            if (current.status() == BackupStatus.BUILDING) {
                buildingByInstance.remove(scope, current.id());
            }
            if (stored.status() == BackupStatus.BUILDING) {
                buildingByInstance.put(scope, stored.id());
            }
            if (stored.status().isInProgress()) {
                inProgress.add(stored.id());
            } else {
                inProgress.remove(stored.id());
            }
        }
    }

    private void unindex(Scope scope, BackupRecord record) {
        NewestFirstKey key = NewestFirstKey.of(record);
        removeFrom(byProject, record.projectId(), key);
        removeFrom(byInstance, scope, key);
        if (record.status() == BackupStatus.BUILDING) {
            buildingByInstance.remove(scope, record.id());
        }
        inProgress.remove(record.id());
    }

    private static <K> void removeFrom(Map<K, NavigableMap<NewestFirstKey, BackupRecord>> indexes, K k,
            NewestFirstKey key) {
        NavigableMap<NewestFirstKey, BackupRecord> index = indexes.get(k);
        index.remove(key);
        if (index.isEmpty()) {
            indexes.remove(k);
        }
    }

    @Override
    public String toString() {
        return "InMemoryBackupStore[" + size() + " records]";
    }

    private record Scope(String projectId, String instanceId) {
        static Scope of(BackupRecord record) {
            return new Scope(record.projectId(), record.instanceId());
        }
    }
}
