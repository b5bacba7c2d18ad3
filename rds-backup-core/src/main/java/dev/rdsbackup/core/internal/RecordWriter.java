package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write the service makes to the store, with the one way it resolves a write whose outcome is
 * unknown (the store threw, and the write may have committed): read the record again and compare it with
 * what was written. Instants are truncated to {@link BackupStore#TIMESTAMP_PRECISION} before writing, so the
 * comparison is exact. When the re-read fails too the answer is {@link Outcome.Unknown}: the caller tries
 * again later, and if it cannot, the lease it wrote expires and the reconciler takes the work over.
 */
final class RecordWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RecordWriter.class);

    /** How many times a record is read back at once after a write that threw. */
    private static final int READ_BACK_TRIES = 3;

    private final BackupStore store;

    RecordWriter(BackupStore store) {
        this.store = store;
    }

    /** What became of a write. */
    sealed interface Outcome {
        /** The write is stored (the record as the store holds it). */
        record Written(BackupRecord record) implements Outcome {
        }

        /** The write did not land; {@code current} is the record as it is now, or empty if it is gone. */
        record Conflict(Optional<BackupRecord> current) implements Outcome {
        }

        /** The write certainly did not land (the store failed before it, or the version differed): try again. */
        record Failed(RuntimeException cause) implements Outcome {
        }

        /** It cannot be told whether the write landed. */
        record Unknown(RuntimeException cause) implements Outcome {
        }
    }

    /** Reads a record; throws the store's exception. */
    Optional<BackupRecord> find(String id) {
        return store.find(id);
    }

    /**
     * Compare-and-set of {@code next} over {@code expectedVersion}.
     *
     * @param next the new content
     * @param expectedVersion the version it replaces
     * @return what became of it
     */
    Outcome write(BackupRecord next, long expectedVersion) {
        BackupRecord written = truncated(next);
        try {
            Optional<BackupRecord> stored = store.compareAndSet(written, expectedVersion);
            if (stored.isPresent()) {
                return new Outcome.Written(stored.get());
            }
        } catch (RuntimeException e) {
            return resolve(written, expectedVersion, e);
        }
        try {
            return new Outcome.Conflict(store.find(written.id()));
        } catch (RuntimeException e) {
            return new Outcome.Failed(e); // the version differed: certainly not written, current unknown
        }
    }

    /**
     * Reads a record back after a write that threw: a few times at once (a connection lost in a commit is
     * often followed by a read that fails on the same connection, and a next one that works on a new one).
     *
     * @throws RuntimeException the last read's exception if every read failed
     */
    private Optional<BackupRecord> readBack(String id) {
        RuntimeException last = null;
        for (int i = 0; i < READ_BACK_TRIES; i++) {
            try {
                return store.find(id);
            } catch (RuntimeException e) {
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    private Outcome resolve(BackupRecord written, long expectedVersion, RuntimeException failure) {
        Optional<BackupRecord> fresh;
        try {
            fresh = readBack(written.id());
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
            LOG.warn("Backup {}: a write failed and the record could not be read back: {}", written.id(),
                    LogSafe.describe(failure));
            return new Outcome.Unknown(failure);
        }
        if (fresh.isPresent() && landed(fresh.get(), written)) {
            LOG.info("Backup {}: the store failed after recording a write; the write stands", written.id());
            return new Outcome.Written(fresh.get());
        }
        if (fresh.isPresent() && fresh.get().version() == expectedVersion) {
            return new Outcome.Failed(failure);
        }
        return new Outcome.Conflict(fresh);
    }

    /**
     * Whether the record holds what was written: the same content, the version aside and the lease's expiry
     * aside when its owner is the same (a lease renewal may have come after the write).
     */
    static boolean landed(BackupRecord fresh, BackupRecord written) {
        return comparable(fresh).equals(comparable(written));
    }

    private static BackupRecord comparable(BackupRecord r) {
        Lease lease = r.lease() == null ? null : new Lease(r.lease().owner(), Instant.EPOCH);
        return truncated(r).toBuilder().version(0).lease(lease).build();
    }

    /**
     * Stores a new record.
     *
     * @param draft the record
     * @return what the store answered; {@code Unknown} (as an empty result) when it threw and the re-read
     *     failed as well
     * @throws RuntimeException the store's exception when the insert certainly did not land
     */
    Optional<CreateResult> create(BackupRecord draft) {
        BackupRecord written = truncated(draft);
        try {
            return Optional.of(Objects.requireNonNull(store.create(written), "the store answered no result"));
        } catch (RuntimeException e) {
            Optional<BackupRecord> fresh;
            try {
                fresh = readBack(written.id());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                return Optional.empty();
            }
            if (fresh.isPresent() && landed(fresh.get(), written)) {
                LOG.info("Backup {}: the store failed after storing the new backup; it stands", written.id());
                return Optional.of(new CreateResult.Created(fresh.get()));
            }
            throw e;
        }
    }

    /**
     * Removes a record at a version.
     *
     * @return {@code Written} with the removed record when it is gone, {@code Conflict} when it changed
     */
    Outcome remove(BackupRecord current) {
        try {
            if (store.delete(current.id(), current.version())) {
                return new Outcome.Written(current);
            }
        } catch (RuntimeException e) {
            Optional<BackupRecord> fresh;
            try {
                fresh = readBack(current.id());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                return new Outcome.Unknown(e);
            }
            if (fresh.isEmpty()) {
                return new Outcome.Written(current);
            }
            if (fresh.get().version() == current.version()) {
                return new Outcome.Failed(e);
            }
            return new Outcome.Conflict(fresh);
        }
        try {
            return new Outcome.Conflict(store.find(current.id()));
        } catch (RuntimeException e) {
            return new Outcome.Failed(e);
        }
    }

    /** The record with every instant truncated to the store's precision. */
    static BackupRecord truncated(BackupRecord r) {
        BackupRecord.Builder b = r.toBuilder()
                .beginTime(t(r.beginTime()))
                .endTime(r.endTime() == null ? null : t(r.endTime()));
        if (r.progress() != null) {
            b.progress(new BackupProgress(r.progress().percent(), r.progress().bytesCopied(),
                    r.progress().totalBytes(), t(r.progress().estimatedCompletion())));
        }
        if (r.lease() != null) {
            b.lease(new Lease(r.lease().owner(), t(r.lease().expiresAt())));
        }
        return b.build();
    }

    /** An instant at the store's precision. */
    static Instant t(Instant instant) {
        return instant == null ? null : instant.truncatedTo(BackupStore.TIMESTAMP_PRECISION);
    }
}
