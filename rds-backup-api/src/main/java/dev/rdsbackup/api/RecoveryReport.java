package dev.rdsbackup.api;

import java.util.List;

/**
 * What {@link BackupService#recover()} did with work whose replica died.
 *
 * @param failed ids of backups left {@code BUILDING} that were marked {@code FAILED} (reason
 *     {@code INTERRUPTED}), their backup lock released
 * @param deletesResumed ids of backups left {@code DELETING} whose deletion was started again
 */
public record RecoveryReport(List<String> failed, List<String> deletesResumed) {
    /** Copies the lists. */
    public RecoveryReport {
        failed = List.copyOf(failed);
        deletesResumed = List.copyOf(deletesResumed);
    }

    /** {@code true} if nothing needed recovering. */
    public boolean isEmpty() {
        return failed.isEmpty() && deletesResumed.isEmpty();
    }
}
