package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.Datastore;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the backup service needs to know about a DB instance, as described by an {@link InstanceProbe}.
 *
 * @param projectId the project that owns the instance
 * @param instanceId the instance
 * @param status its status
 * @param role primary or read replica
 * @param datastore engine and version
 * @param tableCount how many tables it has (the backup is refused above the configured ceiling)
 * @param dataSizeBytes how much data it holds, used to estimate the backup's duration
 * @param partialBackupSupported whether its engine can back up chosen databases only
 * @param databases the databases it holds, to check the names in a partial backup
 */
public record InstanceInfo(
        String projectId,
        String instanceId,
        InstanceStatus status,
        InstanceRole role,
        Datastore datastore,
        long tableCount,
        long dataSizeBytes,
        boolean partialBackupSupported,
        Set<String> databases) {

    /** Checks nulls and ranges, and copies the database set. */
    public InstanceInfo {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(datastore, "datastore");
        Objects.requireNonNull(databases, "databases");
        if (tableCount < 0) {
            throw new IllegalArgumentException("tableCount must be 0 or more, was " + tableCount);
        }
        if (dataSizeBytes < 0) {
            throw new IllegalArgumentException("dataSizeBytes must be 0 or more, was " + dataSizeBytes);
        }
        databases = Collections.unmodifiableSet(new LinkedHashSet<>(databases));
    }
}
