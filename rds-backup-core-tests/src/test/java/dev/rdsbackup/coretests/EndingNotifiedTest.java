package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.testkit.RecordingListener.Event;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Listeners are told of every ending at least once, not only at most once: also of endings written by a
 * replica that did not run the backup. Both replicas share one listener here, as one host's listeners
 * (each replica has its own) together see every event.
 */
@DisplayName("Listeners are told exactly once of an ending that another replica writes")
class EndingNotifiedTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));

    private String copyingOnA() {
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.engine.isRunning(handle.backupId())).isTrue();
        return handle.backupId();
    }

    private List<Kind> endings(String id) {
        return h.events.kinds(id).stream().filter(k -> k == Kind.COMPLETED || k == Kind.FAILED
                || k == Kind.CANCELLED).toList();
    }

    @Test
    @DisplayName("a cancel from another replica: onCancelled once, with the CANCELLED record")
    void cancelFromAnotherReplica() {
        String id = copyingOnA();
        assertThat(b.service.cancel(Harness.PROJECT, id).status()).isEqualTo(BackupStatus.CANCELLED);
        b.settleBoth();
        b.advanceBoth(LEASE.multipliedBy(3));
        assertThat(endings(id)).containsExactly(Kind.CANCELLED);
        Event cancelled = h.events.last(id).orElseThrow();
        assertThat(cancelled.backup().status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(h.engine.isRunning(id)).as("the copy is stopped").isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a failure written by recovery after the owner died: onFailed once, with INTERRUPTED")
    void recoveryFailure() {
        String id = copyingOnA();
        // Replica A dies: its scheduler never runs again.
        b.advanceAlone(LEASE.plusSeconds(1));
        RecoveryReport report = b.service.recover();
        b.scheduler.runPending();
        assertThat(report.failed()).containsExactly(id);
        b.advanceAlone(LEASE.multipliedBy(3));
        assertThat(endings(id)).containsExactly(Kind.FAILED);
        Event failed = h.events.events(id).stream().filter(e -> e.kind() == Kind.FAILED).findFirst().orElseThrow();
        assertThat(failed.backup().failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a failure written by recovery, then the owner comes back: still told once")
    void recoveryFailureThenOwnerBack() {
        String id = copyingOnA();
        b.advanceAlone(LEASE.plusSeconds(1));
        b.service.recover();
        b.scheduler.runPending();
        b.advanceBoth(LEASE.multipliedBy(3));
        assertThat(endings(id)).containsExactly(Kind.FAILED);
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.FAILED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
