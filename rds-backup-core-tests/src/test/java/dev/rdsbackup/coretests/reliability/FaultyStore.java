package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.coretests.reliability.FaultPlan.Op;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One replica's view of the shared store, with the faults of a {@link FaultPlan}: a call that fails before
 * the store throws without writing, a spurious conflict answers "version differs" without writing, and a
 * write that commits and then throws has landed when it throws (and may make the next re-reads fail).
 * Tags every write with the replica's id so {@link AuditingStore} knows who wrote. Lease renewal goes to
 * the store's own one-call {@code renewLeases}, as a SQL store's single UPDATE would.
 */
final class FaultyStore implements BackupStore {
    private final String replicaId;
    private final AuditingStore delegate;
    private final FaultPlan faults;

    FaultyStore(String replicaId, AuditingStore delegate, FaultPlan faults) {
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    @Override
    public CreateResult create(BackupRecord record) {
        faults.maybeFail(Op.CREATE);
        CreateResult result = delegate.create(record);
        faults.afterCommit(Op.CREATE);
        return result;
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        faults.maybeFail(Op.FIND);
        return delegate.find(backupId);
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        faults.maybeFail(Op.FIND_BY_TOKEN);
        return delegate.findByClientToken(projectId, clientToken);
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        faults.maybeFail(Op.CAS);
        if (faults.conflict(Op.CAS)) {
            return Optional.empty();
        }
        Optional<BackupRecord> stored = delegate.compareAndSet(replicaId, next, expectedVersion);
        try {
            faults.afterCommit(Op.CAS);
        } catch (RuntimeException e) {
            if (stored.isPresent() && (next.status() == BackupStatus.COMPLETED || next.status() == BackupStatus.FAILED
                    || next.status() == BackupStatus.CANCELLED)) {
                faults.endingInDoubt(next.id());
            }
            throw e;
        }
        return stored;
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        faults.maybeFail(Op.DELETE);
        if (faults.conflict(Op.DELETE)) {
            return false;
        }
        boolean removed = delegate.delete(replicaId, backupId, expectedVersion);
        faults.afterCommit(Op.DELETE);
        return removed;
    }

    @Override
    public BackupPage query(BackupQuery query) {
        faults.maybeFail(Op.QUERY);
        return delegate.query(query);
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        faults.maybeFail(Op.EXPIRED_LEASES);
        return delegate.findExpiredLeases(now, afterId, limit);
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        faults.maybeFail(Op.RENEW);
        int renewed = delegate.renewLeases(replicaId, owner, backupIds, expiresAt);
        faults.afterCommit(Op.RENEW);
        return renewed;
    }
}
