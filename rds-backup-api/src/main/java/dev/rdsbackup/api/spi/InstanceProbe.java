package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupLock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How the backup service looks at a DB instance. Implemented by the host against its own inventory and
 * database agents. Methods may be called from several threads at once; they throw unchecked exceptions
 * on failure (the service turns them into {@code SERVICE_UNAVAILABLE} or a failed attempt).
 */
public interface InstanceProbe {

    /**
     * Describes an instance. Called in the caller's thread when a backup is requested, so it should be a
     * quick metadata look-up.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return the instance, or empty if it does not exist in the project
     */
    Optional<InstanceInfo> describe(String projectId, String instanceId);

    /**
     * Verifies the connection to the instance before a full backup and, if it is fit, takes the backup
     * lock (for example MySQL 8 {@code LOCK INSTANCE FOR BACKUP}): a {@link Verification.Verified} answer
     * holds that lock until {@link #releaseLock} releases it. An instance that does not exist in the project
     * (another project's included) is not verified: answer a failure or complete exceptionally. Asynchronous so that slow or hung
     * instances hold no thread of the service; the service applies its own deadline and releases a lock
     * that arrives after it gave up.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return a stage completing with the answer; completing exceptionally counts as unreachable
     */
    CompletionStage<Verification> verify(String projectId, String instanceId);

    /**
     * Releases a backup lock obtained from {@link #verify}, and only that lock (another backup lock on the
     * same instance stays held). It must not throw for a lock it does not know. The service calls this once
     * per lock, whatever
     * happens to the backup; it must tolerate a lock that the database already dropped (for example because
     * the session ended). In one rare case it may be called a second time for the same lock: when a store
     * failure leaves it unknown whether the lock was recorded and the backup was then ended and deleted
     * by another replica; the service then prefers releasing twice to leaving the instance locked.
     *
     * @param lock the lock to release
     */
    void releaseLock(BackupLock lock);
}
