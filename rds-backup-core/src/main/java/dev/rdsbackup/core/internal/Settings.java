package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Everything the service was built with, checked by the public builder.
 *
 * @param store the record store
 * @param probe the instance probe
 * @param engine the copy engine
 * @param clock the time source
 * @param scheduler where background work and waits run
 * @param retryPolicy verification retries
 * @param listeners lifecycle listeners
 * @param validator Bean Validation
 * @param maxTableCount the table ceiling
 * @param manualBackupQuota manual backups allowed per instance, 0 for no quota
 * @param replicaId this replica's id, written into leases
 * @param leaseDuration how long a lease lasts unless renewed
 * @param verificationTimeout how long one verification attempt may take
 * @param random jitter source (used under a lock)
 * @param ids backup id source
 * @param bytesPerSecond assumed copy speed for estimates
 * @param perTableCost assumed extra time per table for estimates
 * @param stallTimeout how long a copy may go without progress, and a delete without an answer
 * @param recoveryInterval how often the service runs its reconciler
 * @param shutdownGracePeriod how long {@code close()} lets work in flight finish before handing it over
 */
public record Settings(
        BackupStore store,
        InstanceProbe probe,
        BackupEngine engine,
        Clock clock,
        TaskScheduler scheduler,
        RetryPolicy retryPolicy,
        Listeners listeners,
        RequestValidator validator,
        long maxTableCount,
        int manualBackupQuota,
        String replicaId,
        Duration leaseDuration,
        Duration verificationTimeout,
        RandomGenerator random,
        Supplier<String> ids,
        long bytesPerSecond,
        Duration perTableCost,
        Duration stallTimeout,
        Duration recoveryInterval,
        Duration shutdownGracePeriod) {
}
