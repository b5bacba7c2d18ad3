package dev.rdsbackup.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BackupService#recover()} did with work whose replica died.
 *
 * @param failed ids of backups left {@code BUILDING} that were marked {@code FAILED} (reason
 *     {@code INTERRUPTED}), their backup lock released
 * @param deletesResumed ids of backups left {@code DELETING} whose deletion was started again
 */
public record RecoveryReport(List<String> failed, List<String> deletesResumed) {
    /** Checks nulls and copies the lists. */
    public RecoveryReport {
        failed = List.copyOf(Objects.requireNonNull(failed, "failed"));
        deletesResumed = List.copyOf(Objects.requireNonNull(deletesResumed, "deletesResumed"));
    }

    /** {@code true} if nothing needed recovering. */
    public boolean isEmpty() {
        return failed.isEmpty() && deletesResumed.isEmpty();
    }
}
