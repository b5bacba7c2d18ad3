package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BackupStore} that passes every call to another one: extend it and override a method to inject
 * a fault, for example a store whose next write throws:
 *
 * <pre>{@code
 * BackupStore flaky = new ForwardingBackupStore(new InMemoryBackupStore()) {
 *     @Override
 *     public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
 *         throw new IllegalStateException("database unavailable");
 *     }
 * };
 * }</pre>
 *
 * <p>Every method is forwarded as a whole: {@link #renewLeases} goes to the delegate's own
 * {@code renewLeases}, not through this class's {@link #compareAndSet}; override it too to inject a fault
 * into lease renewals.
 */
public abstract class ForwardingBackupStore implements BackupStore {

    private final BackupStore delegate;

    /**
     * Wraps a store.
     *
     * @param delegate the store every call goes to unless overridden
     */
    protected ForwardingBackupStore(BackupStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped store. */
    protected BackupStore delegate() {
        return delegate;
    }

    @Override
    public CreateResult create(BackupRecord record) {
        return delegate.create(record);
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        return delegate.find(backupId);
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        return delegate.findByClientToken(projectId, clientToken);
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        return delegate.compareAndSet(next, expectedVersion);
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        return delegate.delete(backupId, expectedVersion);
    }

    @Override
    public BackupPage query(BackupQuery query) {
        return delegate.query(query);
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        return delegate.findExpiredLeases(now, afterId, limit);
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        return delegate.renewLeases(owner, backupIds, expiresAt);
    }
}
