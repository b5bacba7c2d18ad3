package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.ForwardingEngine;
import dev.rdsbackup.testkit.RecordingListener;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 11, item 12: whoever ends a backup stops its copy through the engine, by the backup's id, at once. */
@DisplayName("Stopping the copy of a backup another replica started")
class RemoteCopyStopTest {
    private static final Duration LEASE = Duration.ofMinutes(3);

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final ManualScheduler otherScheduler = ManualScheduler.strict(h.clock);
    private final DefaultBackupService other = h.baseBuilder("replica-b", otherScheduler).leaseDuration(LEASE).build();

    @Test
    @DisplayName("happens when recovery fails the backup of a dead replica, and its partial data goes")
    void recoveryStopsTheCopy() {
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        h.engine.progress(orphan.backupId(), 1000);
        // Replica A dies here: its scheduler never runs again.
        otherScheduler.advance(LEASE.plusSeconds(1));
        other.recover();
        otherScheduler.runPending();
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.engine.isRunning(orphan.backupId())).as("the copy was stopped").isFalse();
        assertThat(h.engine.cancelCount(orphan.backupId())).isEqualTo(1);
        assertThat(h.engine.hasArtifact(orphan.backupId())).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("happens when another replica cancels, before the owner's next write")
    void cancelElsewhereStopsAtOnce() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        other.cancel(PROJECT, handle.backupId());
        otherScheduler.runPending();
        assertThat(h.engine.isRunning(handle.backupId())).isFalse();
        assertThat(h.engine.cancelCount(handle.backupId())).isEqualTo(1);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("happens when another replica cancels before the copy exists and the engine then finishes at once:"
            + " the cancel stands and the copied data goes")
    void cancelBeforeAnInstantCopy() throws Exception {
        h.engine.completeCopiesAtOnce();
        String[] cancelled = new String[1];
        ForwardingEngine cancelFirst = new ForwardingEngine(h.engine) {
            @Override
            public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                // The lock is recorded; before the engine takes the copy, replica B cancels the backup. Its
                // stopCopy finds no copy to stop, so only the owner can stop the one it is about to start.
                cancelled[0] = other.cancel(PROJECT, request.backupId()).status().name();
                otherScheduler.runPending();
                return super.startCopy(request, progress);
            }
        };
        DefaultBackupService owner = h.baseBuilder("replica-c", h.scheduler).engine(cancelFirst).build();
        BackupHandle handle = owner.create(Harness.request("Nightly").build());
        h.settle();
        otherScheduler.runPending();

        assertThat(cancelled[0]).isEqualTo("CANCELLED");
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(handle.completion().toCompletableFuture().get(1, TimeUnit.SECONDS).status())
                .isEqualTo(BackupStatus.CANCELLED);
        assertThat(h.engine.hasArtifact(handle.backupId())).as("the copied data was discarded").isFalse();
        assertThat(h.events.count(RecordingListener.Kind.COMPLETED)).isZero();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
