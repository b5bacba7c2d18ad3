package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.Datastore;
import java.util.List;
import java.util.Objects;

/**
 * What the engine must copy.
 *
 * @param backupId the backup, also the key of its stored data
 * @param projectId the project
 * @param instanceId the instance
 * @param datastore engine and version
 * @param databases the databases to copy, or empty for all
 * @param lock the backup lock held for the copy (released by the service, not the engine)
 * @param tableCount tables on the instance
 * @param dataSizeBytes data on the instance
 */
public record CopyRequest(
        String backupId,
        String projectId,
        String instanceId,
        Datastore datastore,
        List<String> databases,
        BackupLock lock,
        long tableCount,
        long dataSizeBytes) {
    /** Checks nulls and copies the list. */
    public CopyRequest {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(lock, "lock");
        databases = List.copyOf(Objects.requireNonNull(databases, "databases"));
    }
}
