package dev.rdsbackup.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BackupService#instanceDeleted(String, String)} did with the instance's backups.
 *
 * @param projectId the project
 * @param instanceId the deleted instance
 * @param cancelled ids of backups that were building and were cancelled
 * @param deleting ids of automated backups whose deletion was started
 * @param retained ids of manual backups that were kept
 */
public record InstanceDeletionReport(
        String projectId, String instanceId, List<String> cancelled, List<String> deleting, List<String> retained) {
    /** Checks nulls and copies the lists. */
    public InstanceDeletionReport {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(instanceId, "instanceId");
        cancelled = List.copyOf(Objects.requireNonNull(cancelled, "cancelled"));
        deleting = List.copyOf(Objects.requireNonNull(deleting, "deleting"));
        retained = List.copyOf(Objects.requireNonNull(retained, "retained"));
    }
}
