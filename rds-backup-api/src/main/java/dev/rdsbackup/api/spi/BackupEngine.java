package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupRecord;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What actually copies the data: xtrabackup, pg_basebackup, a storage snapshot... Implemented by the host.
 * Methods are called from the service's executor and must not block for long: the work runs elsewhere and
 * is reported through stages. Failures are unchecked exceptions or exceptionally completed stages.
 */
public interface BackupEngine {

    /**
     * Starts copying the data of a verified instance, while the service holds its backup lock.
     *
     * @param request what to copy
     * @param progress to be called as the copy advances (from any thread); progress must never go
     *     backwards
     * @return the running copy
     */
    CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress);

    /**
     * Stops the copy of a backup, wherever it runs, and discards what it wrote (that backup's data only:
     * the data of other backups, also of ones whose ids share a prefix with it, stays). Called by any replica: by
     * the one that cancels or fails the backup, and by the reconciler for a backup whose replica died, so it
     * must find the copy by the backup's id alone (not through the {@link CopyJob} that started it), also
     * when another instance of the engine started it. Idempotent: stopping a copy that already ended, was
     * stopped before, or never started succeeds. Never called for a {@code COMPLETED} backup.
     *
     * @param backup the backup whose copy to stop (its id is the key of the copy and of its data)
     * @return a stage completing when the copy is stopped and its partial data gone, or exceptionally if
     *     that could not be done (the service tries again later)
     */
    CompletionStage<Void> stopCopy(BackupRecord backup);

    /**
     * Deletes the stored data of a backup, and only that backup's: the data of every other backup stays, also
     * of ones whose ids share a prefix with it ({@code backup-1} and {@code backup-10}). Idempotent:
     * deleting data that is already gone succeeds.
     *
     * @param backup the backup whose data to delete
     * @return a stage completing when the data is gone, or exceptionally if it could not be deleted
     */
    CompletionStage<Void> deleteArtifact(BackupRecord backup);

    /**
     * Whether a restore or replication is using the backup now, which blocks its deletion. The default
     * says it never is.
     *
     * @param backup the backup
     * @return what uses it (trusted text for the error message), or empty if nothing does
     */
    default Optional<String> inUseBy(BackupRecord backup) {
        return Optional.empty();
    }
}
