package dev.rdsbackup.api.error;

/**
 * Every stable error code of rds-backup, with its HTTP-like status class and whether a client may retry.
 *
 * <p>Codes are part of the public contract: their names never change once released, so hosts can map
 * them to their own API responses, metrics and documentation. Some codes are thrown as a
 * {@link BackupException}; the ones marked "failure reason" are recorded on a {@code FAILED} (or
 * {@code DELETE_FAILED}) backup as its {@link dev.rdsbackup.api.BackupFailure}. A few are both.
 */
public enum ErrorCode {
    /** The request broke one or more rules; see {@link BackupValidationException#violations()}. */
    INVALID_REQUEST(400, false, "the request is invalid"),
    /** The instance does not exist in the project (or belongs to another project). */
    INSTANCE_NOT_FOUND(404, false, "the DB instance was not found"),
    /** Manual backups are taken of primaries only; read replicas are refused. */
    INSTANCE_NOT_PRIMARY(400, false, "backups can be created only for a primary DB instance, not a read replica"),
    /** Another operation (rebooting, restoring, switching over, ...) is running on the instance. */
    INSTANCE_BUSY(409, true, "another operation is in progress on the DB instance"),
    /** The instance's status (failed, shut down, storage full, frozen) does not allow a backup. */
    INSTANCE_STATUS_NOT_ALLOWED(409, false, "the DB instance's status does not allow a backup"),
    /** The instance has more tables than the backup can handle (500,000 by default). */
    TOO_MANY_TABLES(409, false, "the DB instance has too many tables to back up"),
    /** A database list was given for an engine that cannot back up chosen databases. */
    PARTIAL_BACKUP_NOT_SUPPORTED(400, false, "the DB engine does not support backing up chosen databases"),
    /** A database named in the request does not exist on the instance. */
    DATABASE_NOT_FOUND(400, false, "a database named in the request does not exist on the DB instance"),
    /** Another backup of the instance already has this name (names are case-sensitive). */
    BACKUP_NAME_EXISTS(409, false, "a backup with this name already exists for the DB instance"),
    /** Another backup of the instance is being built. */
    BACKUP_IN_PROGRESS(409, true, "another backup of the DB instance is in progress"),
    /** The instance's manual-backup quota is used up. */
    BACKUP_QUOTA_EXCEEDED(413, false, "the manual-backup quota of the DB instance is used up"),
    /** The same client token was used before with different parameters. */
    IDEMPOTENCY_CONFLICT(409, false, "the client token was already used for a different request"),
    /** No backup with this id exists in the project. */
    BACKUP_NOT_FOUND(404, false, "the backup was not found"),
    /** The backup's status does not allow the operation (for example cancelling a completed backup). */
    BACKUP_STATUS_CONFLICT(409, false, "the backup's status does not allow this operation"),
    /** Only manual backups can be deleted through the service; automated ones follow their policy. */
    BACKUP_TYPE_NOT_DELETABLE(400, false, "only manual backups can be deleted"),
    /** The backup is being used by a restore or a replication. */
    BACKUP_IN_USE(409, true, "the backup is in use by a restore or replication"),
    /** The record changed under the operation too many times in a row. */
    CONCURRENT_MODIFICATION(409, true, "the backup was modified concurrently; try again"),
    /** An adapter (store, probe, engine) failed or did not answer in time. */
    SERVICE_UNAVAILABLE(503, true, "a backend the backup service depends on is unavailable"),

    /** Failure reason: DDL was running on the instance at every verification attempt. */
    VERIFICATION_DDL_RUNNING(409, true, "DDL operations were running on the DB instance"),
    /** Failure reason: the backup lock could not be obtained at every verification attempt. */
    VERIFICATION_LOCK_NOT_OBTAINED(409, true, "the backup lock could not be obtained from the DB instance"),
    /** Failure reason: the instance could not be reached (or did not answer in time) when verifying. */
    VERIFICATION_UNREACHABLE(503, true, "the DB instance could not be reached to verify the connection"),
    /** Failure reason: the backup engine reported a failure while copying data. */
    ENGINE_FAILED(500, true, "the backup engine failed while copying data"),
    /** Failure reason: the control-plane replica running the work stopped before finishing it. */
    INTERRUPTED(500, true, "the control-plane replica running the backup stopped before it finished"),
    /** Failure reason: the instance was deleted while the backup was running. */
    INSTANCE_DELETED(409, false, "the DB instance was deleted while the backup was running"),
    /** Failure reason on {@code DELETE_FAILED}: the engine could not delete the stored artifact. */
    ARTIFACT_DELETE_FAILED(500, true, "the stored backup data could not be deleted");

    private final int httpStatus;
    private final boolean retryable;
    private final String summary;

    ErrorCode(int httpStatus, boolean retryable, String summary) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.summary = summary;
    }

    /** The HTTP-like status class: 400, 404, 409, 413, 500 or 503. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether the same call may succeed later without changing it. */
    public boolean retryable() {
        return retryable;
    }

    /** A one-line, person-readable summary of what the code means. */
    public String summary() {
        return summary;
    }
}
