package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared store under every replica's {@link FaultyStore}: passes each call to the real store and
 * checks every write as it happens, recording what breaks a rule:
 * <ul>
 *   <li>a new record is {@code BUILDING} at version 0;</li>
 *   <li>a compare-and-set keeps the status or moves it along {@link BackupStatus#canTransitionTo};</li>
 *   <li>a compare-and-set never changes what is fixed at creation (id, project, instance, name, type,
 *       description, databases, datastore, client token, begin time);</li>
 *   <li>in-progress work leased to a live replica is written only by that replica, except a cancel;</li>
 *   <li>a record is removed only while {@code DELETING}, by the replica holding its lease (or after the
 *       lease expired), or, as a withdrawn create, while {@code BUILDING} at version 0 without a lock by the
 *       replica that created it (the world checks that no one was told it was created);</li>
 *   <li>a replica renews only leases it holds, and a renewal changes nothing but the lease's expiry.</li>
 * </ul>
 * Replicas' clocks may disagree by up to {@code skewTolerance} in each direction, so a lease counts as
 * live only while it has more than twice that left: a takeover within the clocks' disagreement of the
 * expiry is no violation, while a live owner (which renews when a third of its lease has passed) is never
 * that close to its expiry.
 * Serialises every call, so a read-then-write check is exact.
 */
final class AuditingStore {
    private final InMemoryBackupStore delegate;
    private final Clock clock;
    private final Duration skewTolerance;
    private final List<String> violations = new ArrayList<>();
    private final List<String> withdrawn = new ArrayList<>();

    AuditingStore(InMemoryBackupStore delegate, Clock clock, Duration skewTolerance) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.skewTolerance = Objects.requireNonNull(skewTolerance, "skewTolerance");
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Records removed while {@code BUILDING}: creates withdrawn by their own replica before any work. */
    synchronized List<String> withdrawn() {
        return List.copyOf(withdrawn);
    }

    synchronized List<BackupRecord> all() {
        return delegate.all();
    }

    synchronized CreateResult create(BackupRecord record) {
        CreateResult result = delegate.create(record);
        if (result instanceof CreateResult.Created created) {
            BackupRecord stored = created.record();
            if (stored.status() != BackupStatus.BUILDING || stored.version() != 0) {
                violations.add("created " + stored.id() + " as " + stored.status() + " v" + stored.version());
            }
        }
        return result;
    }

    synchronized Optional<BackupRecord> find(String backupId) {
        return delegate.find(backupId);
    }

    synchronized Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        return delegate.findByClientToken(projectId, clientToken);
    }

    synchronized Optional<BackupRecord> compareAndSet(String writer, BackupRecord next, long expectedVersion) {
        Optional<BackupRecord> before = delegate.find(next.id());
        Optional<BackupRecord> stored = delegate.compareAndSet(next, expectedVersion);
        if (stored.isEmpty()) {
            return stored;
        }
        if (before.isEmpty()) {
            violations.add(writer + " wrote " + next.id() + ", which was not stored");
            return stored;
        }
        BackupRecord old = before.get();
        BackupRecord now = stored.get();
        if (old.status() != now.status() && !old.status().canTransitionTo(now.status())) {
            violations.add(writer + " moved " + old.id() + " " + old.status() + " -> " + now.status());
        }
        List<String> changed = fixedFieldsChanged(old, now);
        if (!changed.isEmpty()) {
            violations.add(writer + " changed " + changed + " of " + old.id());
        }
        // Two writes may come from a replica that does not hold the lease: a cancel, and a replay's adoption,
        // which writes the record unchanged but for its version and its lease's expiry (the owner kept) so
        // that no withdrawal can remove it.
        boolean unchanged = old.version() == 0 && old.status() == BackupStatus.BUILDING && old.lock() == null
                && old.lease() != null && now.lease() != null && now.lease().owner().equals(old.lease().owner())
                && !now.lease().expiresAt().isBefore(old.lease().expiresAt())
                && now.toBuilder().version(old.version()).lease(old.lease()).build().equals(old);
        if (old.status().isInProgress() && leasedToOtherLiveReplica(old, writer) && !unchanged
                && !(old.status() == BackupStatus.BUILDING && now.status() == BackupStatus.CANCELLED)) {
            violations.add(writer + " wrote " + old.id() + " (" + old.status() + " -> " + now.status()
                    + ") while " + old.lease() + " held a live lease on it");
        }
        return stored;
    }

    synchronized boolean delete(String writer, String backupId, long expectedVersion) {
        Optional<BackupRecord> before = delegate.find(backupId);
        boolean removed = delegate.delete(backupId, expectedVersion);
        if (removed) {
            BackupRecord old = before.orElseThrow();
            boolean withdrawal = old.status() == BackupStatus.BUILDING && old.version() == 0 && old.lock() == null
                    && old.lease() != null && old.lease().owner().equals(writer);
            if (withdrawal) {
                withdrawn.add(backupId);
            } else if (old.status() != BackupStatus.DELETING) {
                violations.add(writer + " removed " + backupId + " while " + old.status());
            }
            if (leasedToOtherLiveReplica(old, writer)) {
                violations.add(writer + " removed " + backupId + " while " + old.lease() + " held a live lease on it");
            }
        }
        return removed;
    }

    synchronized int renewLeases(String writer, String owner, Collection<String> ids, Instant expiresAt) {
        if (!writer.equals(owner)) {
            violations.add(writer + " renewed the leases of " + owner);
        }
        Map<String, BackupRecord> before = new HashMap<>();
        for (String id : ids) {
            delegate.find(id).ifPresent(r -> before.put(id, r));
        }
        int renewed = delegate.renewLeases(owner, ids, expiresAt);
        for (BackupRecord old : before.values()) {
            BackupRecord now = delegate.find(old.id()).orElseThrow();
            if (now.version() == old.version()) {
                continue;
            }
            if (old.lease() == null || !old.lease().owner().equals(owner)) {
                violations.add(writer + " renewed " + old.id() + ", whose lease was " + old.lease());
            }
            if (!now.toBuilder().lease(old.lease()).version(old.version()).build().equals(old)) {
                violations.add(writer + "'s renewal changed more than the lease of " + old.id());
            }
        }
        return renewed;
    }

    synchronized BackupPage query(BackupQuery query) {
        return delegate.query(query);
    }

    synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        return delegate.findExpiredLeases(now, afterId, limit);
    }

    private boolean leasedToOtherLiveReplica(BackupRecord old, String writer) {
        Lease lease = old.lease();
        return lease != null && !lease.owner().equals(writer)
                && !lease.isExpiredAt(clock.instant().plus(skewTolerance.multipliedBy(2)));
    }

    private static List<String> fixedFieldsChanged(BackupRecord a, BackupRecord b) {
        List<String> changed = new ArrayList<>();
        if (!a.id().equals(b.id())) {
            changed.add("id");
        }
        if (!a.projectId().equals(b.projectId())) {
            changed.add("projectId");
        }
        if (!a.instanceId().equals(b.instanceId())) {
            changed.add("instanceId");
        }
        if (!a.name().equals(b.name())) {
            changed.add("name");
        }
        if (a.type() != b.type()) {
            changed.add("type");
        }
        if (!Objects.equals(a.description(), b.description())) {
            changed.add("description");
        }
        if (!a.databases().equals(b.databases())) {
            changed.add("databases");
        }
        if (!a.datastore().equals(b.datastore())) {
            changed.add("datastore");
        }
        if (!Objects.equals(a.clientToken(), b.clientToken())) {
            changed.add("clientToken");
        }
        if (!a.beginTime().equals(b.beginTime())) {
            changed.add("beginTime");
        }
        return changed;
    }
}
