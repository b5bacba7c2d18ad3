package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.coretests.reliability.FaultPlan.Op;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One replica's view of the shared store, with injected faults: a failing call throws <em>before</em> it
 * reaches the store (nothing is written), and a spurious conflict answers "version differs" without
 * writing. Tags every write with the replica's id so {@link AuditingStore} knows who wrote.
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
        return delegate.create(record);
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
        return delegate.compareAndSet(replicaId, next, expectedVersion);
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        faults.maybeFail(Op.DELETE);
        if (faults.conflict(Op.DELETE)) {
            return false;
        }
        return delegate.delete(replicaId, backupId, expectedVersion);
    }

    @Override
    public BackupPage query(BackupQuery query) {
        faults.maybeFail(Op.QUERY);
        return delegate.query(query);
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, int limit) {
        faults.maybeFail(Op.EXPIRED_LEASES);
        return delegate.findExpiredLeases(now, limit);
    }
}
