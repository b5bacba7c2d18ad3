package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The service runs its reconciler on its own scheduler: no host timer is needed. */
@DisplayName("The service's own reconciler")
class ReconcilerTimerTest {
    private static final Duration LEASE = Duration.ofMinutes(2);

    @Test
    @DisplayName("fails the build of a dead replica once its lease expired, within one recovery interval")
    void runsEveryInterval() {
        Harness h = new Harness(b -> b.leaseDuration(LEASE));
        ManualScheduler survivorScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService survivor = h.baseBuilder("replica-b", survivorScheduler).leaseDuration(LEASE)
                .recoveryInterval(Duration.ofMinutes(1)).build();
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        // Replica A dies: only the survivor's scheduler runs from now on.
        survivorScheduler.advance(LEASE.minusSeconds(1));
        assertThat(h.stored(orphan.backupId()).status()).as("the lease is still alive").isEqualTo(BackupStatus.BUILDING);
        survivorScheduler.advance(Duration.ofMinutes(1));
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.stored(orphan.backupId()).failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        assertThat(h.stored(orphan.backupId()).lock()).isNull();
        assertThat(h.engine.isRunning(orphan.backupId())).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(survivor.inFlight()).isZero();
    }
}
