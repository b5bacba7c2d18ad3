package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.testkit.internal.NewestFirstKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BackupStore} in memory with every guarantee a real store must give, for tests and for
 * single-process prototypes. It passes {@code BackupStoreContract}.
 *
 * <p>Behaviour:
 * <ul>
 *   <li>{@link #create} checks client token (per project), name (per project and instance,
 *       case-sensitive) and the one {@code BUILDING} backup per instance in one atomic step, in that
 *       order, and stores the record with version 0. A record whose id is already stored, in any project,
 *       is refused with {@link IllegalArgumentException}.</li>
 *   <li>{@link #compareAndSet} replaces the record only if the stored version matches and stores it with
 *       the next version. It refuses, with {@link IllegalArgumentException}, a change of project, instance,
 *       name or client token: those are fixed at creation.</li>
 *   <li>{@link #delete} removes only at the expected version; the name and client token become free.</li>
 *   <li>{@link #query} walks a per-project or per-instance index kept in {@link BackupQuery#NEWEST_FIRST}
 *       order, narrowed to the begin-time window, so a page costs {@code O(log n + offset + limit)} when
 *       only project, instance and window are given; the total count of an unfiltered listing is kept as a
 *       number. Type and status filters are applied while walking.</li>
 *   <li>{@link #findExpiredLeases} walks an id-ordered index of the records that hold a lease.</li>
 *   <li>{@link #renewLeases} renews each given lease of the owner atomically.</li>
 * </ul>
 *
 * <p>Thread-safe, and writes to different instances do not wait for each other: every write locks only
 * the record's instance (its names, its active backup, its index). Ids are unique across the store through
 * one concurrent map, and a create with a client token also holds its project's token lock (taken before
 * the instance's), so tokens stay unique per project. Project listings and the lease index are concurrent
 * sorted maps, read without locks; a listing of one project written to meanwhile may mix states, as a
 * database read at "read committed" may. Not final, and every SPI method is public, so a test can wrap or
 * subclass it to inject faults.
 */
public class InMemoryBackupStore implements BackupStore {

    private final Map<String, BackupRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, ProjectState> projects = new ConcurrentHashMap<>();
    private final Map<Scope, InstanceState> instances = new ConcurrentHashMap<>();
    /** Ids of the records that hold a lease, in id order. */
    private final NavigableSet<String> leased = new ConcurrentSkipListSet<>();

    /** An empty store. */
    public InMemoryBackupStore() {
    }

    @Override
    public CreateResult create(BackupRecord record) {
        Objects.requireNonNull(record, "record");
        ProjectState project = projects.computeIfAbsent(record.projectId(), k -> new ProjectState());
        InstanceState instance = instances.computeIfAbsent(Scope.of(record), k -> new InstanceState());
        if (record.clientToken() == null) {
            synchronized (instance) {
                return createLocked(record, project, instance);
            }
        }
        project.tokenLock.lock();
        try {
            synchronized (instance) {
                return createLocked(record, project, instance);
            }
        } finally {
            project.tokenLock.unlock();
        }
    }

    private CreateResult createLocked(BackupRecord record, ProjectState project, InstanceState instance) {
        if (byId.containsKey(record.id())) {
            throw new IllegalArgumentException("a record with id " + record.id() + " is already stored");
        }
        if (record.clientToken() != null) {
            String tokenOwner = project.tokens.get(record.clientToken());
            if (tokenOwner != null) {
                return new CreateResult.ClientTokenTaken(byId.get(tokenOwner));
            }
        }
        String nameOwner = instance.names.get(record.name());
        if (nameOwner != null) {
            return new CreateResult.NameTaken(byId.get(nameOwner));
        }
        if (record.status() == BackupStatus.BUILDING && instance.building != null) {
            return new CreateResult.InstanceBusy(byId.get(instance.building));
        }
        BackupRecord stored = record.version() == 0 ? record : record.withVersion(0);
        if (byId.putIfAbsent(stored.id(), stored) != null) {
            throw new IllegalArgumentException("a record with id " + record.id() + " is already stored");
        }
        instance.names.put(stored.name(), stored.id());
        if (stored.clientToken() != null) {
            project.tokens.put(stored.clientToken(), stored.id());
        }
        index(project, instance, stored);
        return new CreateResult.Created(stored);
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        Objects.requireNonNull(backupId, "backupId");
        return Optional.ofNullable(byId.get(backupId));
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(clientToken, "clientToken");
        ProjectState project = projects.get(projectId);
        String id = project == null ? null : project.tokens.get(clientToken);
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        Objects.requireNonNull(next, "next");
        BackupRecord seen = byId.get(next.id());
        if (seen == null) {
            return Optional.empty();
        }
        InstanceState instance = instances.get(Scope.of(seen));
        synchronized (instance) {
            BackupRecord current = byId.get(next.id());
            if (current == null || current.version() != expectedVersion) {
                return Optional.empty();
            }
            requireSame("projectId", current.projectId(), next.projectId());
            requireSame("instanceId", current.instanceId(), next.instanceId());
            requireSame("name", current.name(), next.name());
            requireSame("clientToken", current.clientToken(), next.clientToken());
            BackupRecord stored = next.withVersion(expectedVersion + 1);
            replace(projects.get(current.projectId()), instance, current, stored);
            return Optional.of(stored);
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
        BackupRecord seen = byId.get(backupId);
        if (seen == null) {
            return false;
        }
        InstanceState instance = instances.get(Scope.of(seen));
        synchronized (instance) {
            BackupRecord current = byId.get(backupId);
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            remove(projects.get(current.projectId()), instance, current);
            return true;
        }
    }

    @Override
    public BackupPage query(BackupQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.instanceId() != null) {
            InstanceState instance = instances.get(new Scope(query.projectId(), query.instanceId()));
            if (instance == null) {
                return new BackupPage(List.of(), 0, query.offset(), query.limit());
            }
            synchronized (instance) {
                return page(instance.index, instance.index.size(), query);
            }
        }
        ProjectState project = projects.get(query.projectId());
        if (project == null) {
            return new BackupPage(List.of(), 0, query.offset(), query.limit());
        }
        return page(project.index, project.count.get(), query);
    }

    private static BackupPage page(NavigableMap<NewestFirstKey, BackupRecord> index, int size, BackupQuery query) {
        NavigableMap<NewestFirstKey, BackupRecord> window = NewestFirstKey.window(
                index, query.windowStart(), query.windowEnd());
        boolean windowed = window != index;
        boolean filtered = query.type() != null || !query.statuses().isEmpty();
        List<BackupRecord> items = new ArrayList<>(Math.min(query.limit(), 16));
        long seen = 0;
        for (BackupRecord record : window.values()) {
            if (filtered && !query.matches(record)) {
                continue;
            }
            if (seen >= query.offset() && items.size() < query.limit()) {
                items.add(record);
            }
            seen++;
            if (!filtered && !windowed && items.size() == query.limit()) {
                break;
            }
        }
        long total = filtered || windowed ? seen : size;
        return new BackupPage(items, total, query.offset(), query.limit());
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        List<BackupRecord> expired = new ArrayList<>();
        for (String id : afterId == null ? leased : leased.tailSet(afterId, false)) {
            BackupRecord record = byId.get(id);
            if (record != null && record.lease() != null && record.lease().isExpiredAt(now)) {
                expired.add(record);
                if (expired.size() == limit) {
                    break;
                }
            }
        }
        return expired;
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(backupIds, "backupIds");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Lease renewed = new Lease(owner, expiresAt);
        int count = 0;
        for (String id : backupIds) {
            BackupRecord seen = byId.get(id);
            if (seen == null) {
                continue;
            }
            InstanceState instance = instances.get(Scope.of(seen));
            synchronized (instance) {
                BackupRecord current = byId.get(id);
                if (current == null || current.lease() == null || !current.lease().owner().equals(owner)) {
                    continue;
                }
                BackupRecord stored = current.toBuilder().lease(renewed).version(current.version() + 1).build();
                replace(projects.get(current.projectId()), instance, current, stored);
                count++;
            }
        }
        return count;
    }

    /** How many records are stored. */
    public int size() {
        return byId.size();
    }

    /** Every stored record, newest first, across all projects: for assertions. */
    public List<BackupRecord> all() {
        List<BackupRecord> all = new ArrayList<>(byId.values());
        all.sort(BackupQuery.NEWEST_FIRST);
        return Collections.unmodifiableList(all);
    }

    /** Removes every record (record by record: not atomic with writes running at the same time). */
    public void clear() {
        for (BackupRecord record : byId.values()) {
            InstanceState instance = instances.get(Scope.of(record));
            synchronized (instance) {
                BackupRecord current = byId.get(record.id());
                if (current != null) {
                    remove(projects.get(current.projectId()), instance, current);
                }
            }
        }
    }

    // ---------------------------------------------------------------- indexes (instance lock held)

    private void index(ProjectState project, InstanceState instance, BackupRecord record) {
        NewestFirstKey key = NewestFirstKey.of(record);
        instance.index.put(key, record);
        project.index.put(key, record);
        project.count.incrementAndGet();
        if (record.status() == BackupStatus.BUILDING) {
            instance.building = record.id();
        }
        if (record.lease() != null) {
            leased.add(record.id());
        }
    }

    private void replace(ProjectState project, InstanceState instance, BackupRecord current, BackupRecord stored) {
        NewestFirstKey oldKey = NewestFirstKey.of(current);
        NewestFirstKey newKey = NewestFirstKey.of(stored);
        byId.put(stored.id(), stored);
        if (!oldKey.equals(newKey)) {
            instance.index.remove(oldKey);
            project.index.remove(oldKey);
        }
        instance.index.put(newKey, stored);
        project.index.put(newKey, stored);
        if (current.status() == BackupStatus.BUILDING && stored.status() != BackupStatus.BUILDING) {
            instance.building = null;
        } else if (stored.status() == BackupStatus.BUILDING) {
            instance.building = stored.id();
        }
        if (stored.lease() != null) {
            leased.add(stored.id());
        } else if (current.lease() != null) {
            leased.remove(stored.id());
        }
    }

    private void remove(ProjectState project, InstanceState instance, BackupRecord current) {
        NewestFirstKey key = NewestFirstKey.of(current);
        instance.index.remove(key);
        if (project.index.remove(key) != null) {
            project.count.decrementAndGet();
        }
        instance.names.remove(current.name());
        if (current.status() == BackupStatus.BUILDING && current.id().equals(instance.building)) {
            instance.building = null;
        }
        leased.remove(current.id());
        if (current.clientToken() != null) {
            project.tokens.remove(current.clientToken(), current.id());
        }
        byId.remove(current.id());
    }

    @Override
    public String toString() {
        return "InMemoryBackupStore[" + size() + " records]";
    }

    /** A project's client tokens and listing index. */
    private static final class ProjectState {
        /** Held by a create with a client token, before its instance's monitor. */
        final ReentrantLock tokenLock = new ReentrantLock();
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final NavigableMap<NewestFirstKey, BackupRecord> index = new ConcurrentSkipListMap<>();
        final AtomicInteger count = new AtomicInteger();
    }

    /** An instance's names, active backup and listing index; its monitor guards all of them. */
    private static final class InstanceState {
        final Map<String, String> names = new HashMap<>();
        final NavigableMap<NewestFirstKey, BackupRecord> index = new TreeMap<>();
        String building;
    }

    private record Scope(String projectId, String instanceId) {
        static Scope of(BackupRecord record) {
            return new Scope(record.projectId(), record.instanceId());
        }
    }
}
