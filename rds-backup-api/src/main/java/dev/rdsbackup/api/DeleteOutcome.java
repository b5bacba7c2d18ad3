package dev.rdsbackup.api;

import dev.rdsbackup.api.error.BackupException;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of deleting one backup of a batch: either the backup, now {@code DELETING}, or the refusal.
 *
 * @param backupId the id asked for
 * @param backup the backup after the delete was accepted, or {@code null} if refused
 * @param error why the delete was refused, or {@code null} if accepted
 */
public record DeleteOutcome(String backupId, BackupRecord backup, BackupException error) {
    /** Checks that exactly one of {@code backup} and {@code error} is given. */
    public DeleteOutcome {
        Objects.requireNonNull(backupId, "backupId");
        if ((backup == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of backup and error must be given");
        }
    }

    /**
     * An accepted delete.
     *
     * @param backup the backup, now {@code DELETING}
     * @return the outcome
     */
    public static DeleteOutcome accepted(BackupRecord backup) {
        return new DeleteOutcome(backup.id(), backup, null);
    }

    /**
     * A refused delete.
     *
     * @param backupId the id asked for
     * @param error the refusal
     * @return the outcome
     */
    public static DeleteOutcome refused(String backupId, BackupException error) {
        return new DeleteOutcome(backupId, null, error);
    }

    /** {@code true} if the delete was accepted. */
    public boolean accepted() {
        return backup != null;
    }

    /** The backup, if accepted. */
    public Optional<BackupRecord> backupIfAccepted() {
        return Optional.ofNullable(backup);
    }

    /** The refusal, if refused. */
    public Optional<BackupException> errorIfRefused() {
        return Optional.ofNullable(error);
    }
}
