package dev.rdsbackup.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup as stored: immutable; every change is a new record written with the store's compare-and-set
 * on {@link #version()}. Derive a changed copy with {@link #toBuilder()}.
 *
 * @param id the backup id, unique across the store
 * @param projectId the project (tenant) that owns it
 * @param instanceId the instance it was taken from (kept after the instance is deleted)
 * @param name unique among the instance's backups, case-sensitive
 * @param description optional untrusted text, or {@code null}
 * @param type manual or automated
 * @param status where it is in its lifecycle
 * @param datastore engine and version of the instance, captured at creation
 * @param databases the databases of a partial backup, or empty for a full backup
 * @param clientToken the idempotency token it was created with, or {@code null}
 * @param beginTime when it was created
 * @param endTime when it reached {@code COMPLETED}, {@code FAILED} or {@code CANCELLED}, or {@code null}
 * @param sizeBytes the stored size once {@code COMPLETED}; 0 before
 * @param progress how far the copy has come while {@code BUILDING}, or {@code null}
 * @param failure why it failed ({@code FAILED}, {@code DELETE_FAILED}), or {@code null}
 * @param attempts verification attempts made so far
 * @param lease the replica that owns its in-progress work and until when, or {@code null} when none does
 * @param lock the backup lock held on the instance for this backup, or {@code null} when none is held
 * @param version the optimistic-concurrency version; the store increments it on every write
 */
public record BackupRecord(
        String id,
        String projectId,
        String instanceId,
        String name,
        String description,
        BackupType type,
        BackupStatus status,
        Datastore datastore,
        List<String> databases,
        String clientToken,
        Instant beginTime,
        Instant endTime,
        long sizeBytes,
        BackupProgress progress,
        BackupFailure failure,
        int attempts,
        Lease lease,
        BackupLock lock,
        long version) {

    /** Checks required components and ranges, and copies the database list. */
    public BackupRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(databases, "databases");
        Objects.requireNonNull(beginTime, "beginTime");
        databases = List.copyOf(databases); // no copy when it already is an immutable list
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be 0 or more, was " + sizeBytes);
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be 0 or more, was " + attempts);
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        if (endTime != null && endTime.isBefore(beginTime)) {
            throw new IllegalArgumentException("endTime must not be before beginTime");
        }
    }

    /** The description, if any. */
    public Optional<String> descriptionIfAny() {
        return Optional.ofNullable(description);
    }

    /** The end time, if the backup has finished building. */
    public Optional<Instant> endTimeIfAny() {
        return Optional.ofNullable(endTime);
    }

    /** The progress, while building. */
    public Optional<BackupProgress> progressIfAny() {
        return Optional.ofNullable(progress);
    }

    /** The failure, if it failed. */
    public Optional<BackupFailure> failureIfAny() {
        return Optional.ofNullable(failure);
    }

    /** The lease, while a replica owns work on it. */
    public Optional<Lease> leaseIfAny() {
        return Optional.ofNullable(lease);
    }

    /** The backup lock, while one is held for this backup. */
    public Optional<BackupLock> lockIfAny() {
        return Optional.ofNullable(lock);
    }

    /**
     * This record with another version, for a store writing it; cheaper than a builder round trip.
     *
     * @param newVersion the version to store, 0 or more
     * @return the record with that version
     */
    public BackupRecord withVersion(long newVersion) {
        return new BackupRecord(id, projectId, instanceId, name, description, type, status, datastore, databases,
                clientToken, beginTime, endTime, sizeBytes, progress, failure, attempts, lease, lock, newVersion);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.projectId = projectId;
        b.instanceId = instanceId;
        b.name = name;
        b.description = description;
        b.type = type;
        b.status = status;
        b.datastore = datastore;
        b.databases = databases;
        b.clientToken = clientToken;
        b.beginTime = beginTime;
        b.endTime = endTime;
        b.sizeBytes = sizeBytes;
        b.progress = progress;
        b.failure = failure;
        b.attempts = attempts;
        b.lease = lease;
        b.lock = lock;
        b.version = version;
        return b;
    }

    @Override
    public String toString() {
        // The description is untrusted text: never print it.
        return "BackupRecord[id=" + id + ", projectId=" + projectId + ", instanceId=" + instanceId
                + ", name=" + name + ", type=" + type + ", status=" + status + ", datastore=" + datastore
                + ", databases=" + databases.size() + ", beginTime=" + beginTime + ", endTime=" + endTime
                + ", sizeBytes=" + sizeBytes + ", failure=" + (failure == null ? null : failure.code())
                + ", attempts=" + attempts + ", lease=" + lease + ", lock=" + (lock != null) + ", version=" + version + "]";
    }

    /** Builds a {@link BackupRecord}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private String projectId;
        private String instanceId;
        private String name;
        private String description;
        private BackupType type = BackupType.MANUAL;
        private BackupStatus status = BackupStatus.BUILDING;
        private Datastore datastore;
        private List<String> databases = List.of();
        private String clientToken;
        private Instant beginTime;
        private Instant endTime;
        private long sizeBytes;
        private BackupProgress progress;
        private BackupFailure failure;
        private int attempts;
        private Lease lease;
        private BackupLock lock;
        private long version;

        private Builder() {
        }

        /**
         * Sets id.
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * Sets projectId.
         *
         * @param projectId the project id
         * @return this builder
         */
        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        /**
         * Sets instanceId.
         *
         * @param instanceId the instance id
         * @return this builder
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /**
         * Sets name.
         *
         * @param name the backup name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets description.
         *
         * @param description the description, or {@code null}
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * Sets type.
         *
         * @param type the type
         * @return this builder
         */
        public Builder type(BackupType type) {
            this.type = type;
            return this;
        }

        /**
         * Sets status.
         *
         * @param status the status
         * @return this builder
         */
        public Builder status(BackupStatus status) {
            this.status = status;
            return this;
        }

        /**
         * Sets datastore.
         *
         * @param datastore engine and version
         * @return this builder
         */
        public Builder datastore(Datastore datastore) {
            this.datastore = datastore;
            return this;
        }

        /**
         * Sets databases.
         *
         * @param databases the databases of a partial backup
         * @return this builder
         */
        public Builder databases(List<String> databases) {
            this.databases = databases == null ? List.of() : databases;
            return this;
        }

        /**
         * Sets clientToken.
         *
         * @param clientToken the idempotency token, or {@code null}
         * @return this builder
         */
        public Builder clientToken(String clientToken) {
            this.clientToken = clientToken;
            return this;
        }

        /**
         * Sets beginTime.
         *
         * @param beginTime the creation time
         * @return this builder
         */
        public Builder beginTime(Instant beginTime) {
            this.beginTime = beginTime;
            return this;
        }

        /**
         * Sets endTime.
         *
         * @param endTime the end time, or {@code null}
         * @return this builder
         */
        public Builder endTime(Instant endTime) {
            this.endTime = endTime;
            return this;
        }

        /**
         * Sets sizeBytes.
         *
         * @param sizeBytes the stored size
         * @return this builder
         */
        public Builder sizeBytes(long sizeBytes) {
            this.sizeBytes = sizeBytes;
            return this;
        }

        /**
         * Sets progress.
         *
         * @param progress the progress, or {@code null}
         * @return this builder
         */
        public Builder progress(BackupProgress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Sets failure.
         *
         * @param failure the failure, or {@code null}
         * @return this builder
         */
        public Builder failure(BackupFailure failure) {
            this.failure = failure;
            return this;
        }

        /**
         * Sets attempts.
         *
         * @param attempts verification attempts made
         * @return this builder
         */
        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        /**
         * Sets lease.
         *
         * @param lease the lease, or {@code null}
         * @return this builder
         */
        public Builder lease(Lease lease) {
            this.lease = lease;
            return this;
        }

        /**
         * Sets lock.
         *
         * @param lock the held backup lock, or {@code null}
         * @return this builder
         */
        public Builder lock(BackupLock lock) {
            this.lock = lock;
            return this;
        }

        /**
         * Sets version.
         *
         * @param version the version
         * @return this builder
         */
        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the record
         * @throws NullPointerException naming a required component that is missing
         */
        public BackupRecord build() {
            return new BackupRecord(id, projectId, instanceId, name, description, type, status, datastore,
                    databases, clientToken, beginTime, endTime, sizeBytes, progress, failure, attempts, lease,
                    lock, version);
        }
    }
}
