package dev.rdsbackup.api;

import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import java.util.List;

/**
 * The manual-backup feature of a DB control plane: what a host's API layer calls. Implemented by
 * {@code rds-backup-core}; an interface so hosts can mock it in their own tests.
 *
 * <p>Every method is thread-safe and safe to call from several control-plane replicas sharing one store.
 * Every refusal is a {@link BackupException} with a stable code; bad input is a
 * {@link BackupValidationException} listing every violation. Every call is scoped to a project: a
 * backup of another project is "not found", never revealed.
 */
public interface BackupService {

    /**
     * Creates a backup of a running primary instance. Validates the request, checks the instance, stores
     * the backup as {@code BUILDING} and returns at once; verification (with automatic retry) and the copy
     * run in the background. A request with a client token that was seen before returns the original
     * backup. A create answered {@code SERVICE_UNAVAILABLE} because the store failed while storing it may
     * have stored it after all: retried with the same client token, it returns that backup, which is then
     * built; without a client token (or if never retried) a backup stored that way is withdrawn.
     *
     * @param request what to back up
     * @return the stored backup and a stage completing with its final record
     * @throws BackupValidationException if the request breaks a rule
     * @throws BackupException with the refusal's code if a precondition does not hold (nothing is stored)
     */
    BackupHandle create(BackupRequest request);

    /**
     * Reads one backup.
     *
     * @param projectId the project
     * @param backupId the backup
     * @return the backup, with its progress while building
     * @throws BackupException {@code BACKUP_NOT_FOUND} if it does not exist in the project
     */
    BackupRecord get(String projectId, String backupId);

    /**
     * Lists backups, newest first, one page at a time.
     *
     * @param query project, optional instance, filters and paging
     * @return the page and the total count
     * @throws BackupValidationException if a filter or the paging is invalid
     */
    BackupPage list(BackupQuery query);

    /**
     * Cancels a backup that is building, in whatever phase it is (verifying, waiting to retry, copying).
     * Cancelling a backup that is already {@code CANCELLED} returns it unchanged.
     *
     * @param projectId the project
     * @param backupId the backup
     * @return the backup, now {@code CANCELLED}
     * @throws BackupException {@code BACKUP_NOT_FOUND}, or {@code BACKUP_STATUS_CONFLICT} if it already
     *     finished otherwise
     */
    BackupRecord cancel(String projectId, String backupId);

    /**
     * Deletes a manual backup: {@code DELETING} at once, then its data, then its record. Allowed when
     * {@code COMPLETED}, {@code FAILED}, {@code CANCELLED} or {@code DELETE_FAILED}.
     *
     * @param projectId the project
     * @param backupId the backup
     * @return the backup, now {@code DELETING}
     * @throws BackupException {@code BACKUP_NOT_FOUND}, {@code BACKUP_TYPE_NOT_DELETABLE} for automated
     *     backups, {@code BACKUP_STATUS_CONFLICT} while building or deleting, {@code BACKUP_IN_USE} while
     *     a restore or replication uses it
     */
    BackupRecord delete(String projectId, String backupId);

    /**
     * Deletes 1 to 50 manual backups, each on its own: one refusal does not stop the others.
     *
     * @param projectId the project
     * @param backupIds 1 to 50 distinct ids
     * @return one outcome per id, in the order given
     * @throws BackupValidationException if the list is empty, too long, or repeats or malforms an id
     */
    List<DeleteOutcome> deleteAll(String projectId, List<String> backupIds);

    /**
     * Tells the service that an instance was deleted: a running backup of it is cancelled, its automated
     * backups are deleted (data too), and its manual backups are kept, listable by project and by the old
     * instance id. Calling it again is harmless.
     *
     * @param projectId the project
     * @param instanceId the deleted instance
     * @return what was cancelled, deleted and retained
     */
    InstanceDeletionReport instanceDeleted(String projectId, String instanceId);

    /**
     * Resolves work left behind by a replica that died: backups still {@code BUILDING} or {@code DELETING}
     * whose lease has expired. Building ones end {@code FAILED} with reason {@code INTERRUPTED} and their
     * backup lock is released; deleting ones have their deletion started again. Work that a live replica
     * owns is never touched. Call it at start-up and periodically.
     *
     * @return what was resolved
     */
    RecoveryReport recover();
}
