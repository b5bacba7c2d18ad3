package dev.rdsbackup.api;

import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;

/**
 * Lifecycle events, for audit logs and metrics. Every method has a no-op default, so a listener overrides
 * only what it needs. Listeners are called on the thread that made the change, after the change is stored;
 * a listener that throws is logged and ignored, never fatal to the backup. Records passed in carry the
 * untrusted description: do not log it raw.
 */
public interface BackupListener {
    /**
     * A backup was accepted and stored as {@code BUILDING}.
     *
     * @param backup the new backup
     */
    default void onCreated(BackupRecord backup) {
    }

    /**
     * A verification attempt failed and another is scheduled.
     *
     * @param backup the backup, with {@link BackupRecord#attempts()} counting the failed attempt
     * @param reason why the attempt failed, such as {@link ErrorCode#VERIFICATION_DDL_RUNNING}
     * @param delay how long until the next attempt
     */
    default void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
    }

    /**
     * The instance was verified and the backup lock is held (and recorded); the engine is asked to copy
     * right after this returns. Called with no lock of the service held, so it may call the service.
     *
     * @param backup the backup
     */
    default void onCopyStarted(BackupRecord backup) {
    }

    /**
     * The backup reached {@code COMPLETED}.
     *
     * @param backup the final record
     */
    default void onCompleted(BackupRecord backup) {
    }

    /**
     * The backup reached {@code FAILED}.
     *
     * @param backup the final record, with its {@link BackupRecord#failure()}
     */
    default void onFailed(BackupRecord backup) {
    }

    /**
     * The backup reached {@code CANCELLED}.
     *
     * @param backup the final record
     */
    default void onCancelled(BackupRecord backup) {
    }

    /**
     * A delete was accepted: the backup is {@code DELETING}.
     *
     * @param backup the backup
     */
    default void onDeleting(BackupRecord backup) {
    }

    /**
     * The backup's data and record are gone.
     *
     * @param backup the last stored record
     */
    default void onDeleted(BackupRecord backup) {
    }

    /**
     * Deleting the backup's data failed: the backup is {@code DELETE_FAILED}.
     *
     * @param backup the backup, with its {@link BackupRecord#failure()}
     */
    default void onDeleteFailed(BackupRecord backup) {
    }
}
