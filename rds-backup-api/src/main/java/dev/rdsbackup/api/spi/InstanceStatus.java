package dev.rdsbackup.api.spi;

/**
 * The status of a DB instance as the backup service needs to see it. A probe maps its platform's own
 * statuses onto these (the names follow the cloud RDS API).
 */
public enum InstanceStatus {
    /** Running: backups allowed. */
    ACTIVE(Category.RUNNING),
    /** Being created. */
    BUILD(Category.BUSY),
    /** Failed. */
    FAILED(Category.NOT_ALLOWED),
    /** Its specification or configuration is changing. */
    MODIFYING(Category.BUSY),
    /** Rebooting. */
    REBOOTING(Category.BUSY),
    /** Data is being restored into it. */
    RESTORING(Category.BUSY),
    /** A primary/standby switchover is in progress. */
    SWITCHOVER(Category.BUSY),
    /** Being migrated. */
    MIGRATING(Category.BUSY),
    /** Another backup (for example an automated one run outside this library) is running. */
    BACKING_UP(Category.BUSY),
    /** Shut down. */
    SHUTDOWN(Category.NOT_ALLOWED),
    /** Its storage is full. */
    STORAGE_FULL(Category.NOT_ALLOWED),
    /** Frozen (for example for an unpaid bill). */
    FROZEN(Category.NOT_ALLOWED);

    /** What a status means for a backup request. */
    public enum Category {
        /** A backup may start. */
        RUNNING,
        /** Another operation is in progress: refused now, may be retried later (409, retryable). */
        BUSY,
        /** The instance cannot be backed up in this status (refused, not retryable). */
        NOT_ALLOWED
    }

    private final Category category;

    InstanceStatus(Category category) {
        this.category = category;
    }

    /** What this status means for a backup request. */
    public Category category() {
        return category;
    }
}
