package dev.rdsbackup.api;

import java.util.Objects;

/**
 * A backup lock held on an instance (for example MySQL 8 {@code LOCK INSTANCE FOR BACKUP}), obtained by
 * {@link dev.rdsbackup.api.spi.InstanceProbe#verify} and released exactly once through
 * {@link dev.rdsbackup.api.spi.InstanceProbe#releaseLock}. It is stored on the backup record while held,
 * so another replica can release it if the one holding it dies.
 *
 * @param instanceId the instance the lock is held on
 * @param token an opaque value the probe uses to find and release the lock (a session id, say)
 */
public record BackupLock(String instanceId, String token) {
    /** Checks that no component is null. */
    public BackupLock {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(token, "token");
    }
}
