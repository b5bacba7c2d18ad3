package dev.rdsbackup.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What {@link BackupService#create(BackupRequest)} answers at once: the backup as stored (normally
 * {@code BUILDING}) and a stage that completes when it reaches {@code COMPLETED}, {@code FAILED} or
 * {@code CANCELLED}.
 *
 * <p>The stage completes <em>normally</em> with the final record in all three cases, so callers inspect
 * {@link BackupRecord#status()}; it never completes exceptionally because the backup failed. It completes
 * exceptionally, with a {@link dev.rdsbackup.api.error.BackupException}, only when how the build ended can
 * no longer be known: another replica ended it and the backup was deleted ({@code BACKUP_NOT_FOUND}) or its
 * deletion started ({@code BACKUP_STATUS_CONFLICT}) before this replica read the ending. It never completes
 * with a {@code BUILDING}, {@code DELETING} or {@code DELETE_FAILED} record. Clients that are not in the
 * same process poll {@link BackupService#get(String, String)} instead.
 *
 * @param backup the backup as it was when the create returned
 * @param completion completes with the final record
 */
public record BackupHandle(BackupRecord backup, CompletionStage<BackupRecord> completion) {
    /** Checks that no component is null. */
    public BackupHandle {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(completion, "completion");
    }

    /** The backup id. */
    public String backupId() {
        return backup.id();
    }
}
