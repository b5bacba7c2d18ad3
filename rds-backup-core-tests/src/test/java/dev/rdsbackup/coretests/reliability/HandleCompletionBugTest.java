package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import java.time.Duration;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Known core bug 1, found by the lifecycle state machine (shrunk to these four steps): a backup built by
 * replica A is cancelled by replica B and then deleted; when A next touches it (its first verification,
 * a lease renewal), {@code BackupLifecycle.abandon} completes A's {@code BackupHandle.completion()} with
 * A's own stale {@code BUILDING} record (the record is gone, {@code run.lostTo == null}) or with the
 * {@code DELETING}/{@code DELETE_FAILED} record it re-read. {@code BackupHandle} promises the final record,
 * {@code COMPLETED}, {@code FAILED} or {@code CANCELLED}. Disabled until core decides what the stage should
 * answer when the ending is no longer knowable; {@link KnownBugs} tolerates exactly this shape elsewhere.
 */
@Disabled("known core bug 1: BackupHandle completes with a BUILDING/DELETING record when another replica"
        + " ended and deleted the backup; see HandleCompletionBugTest javadoc")
@DisplayName("Known bug 1: a handle whose backup was ended and deleted elsewhere completes with a final record")
class HandleCompletionBugTest {

    private static BackupRecord completionAfter(boolean deleteFails) {
        World w = new World();
        Quiet.run(() -> {
            w.create(0, 0, 0, 0, 0, false);   // create via A on proj-a/inst-1 name=Daily
            w.cancel(1, 0, false);            // cancel via B
            if (deleteFails) {
                w.engine.failNextDeletes(1);
            }
            w.delete(0, 0, false);            // delete via A: the record is gone (or DELETE_FAILED)
            w.advance(Duration.ofSeconds(1)); // A's first verification attempt finds it gone
        });
        return w.handles.get(0).handle().completion().toCompletableFuture().join();
    }

    @Test
    @DisplayName("when the record is gone")
    void recordGone() {
        assertThat(completionAfter(false).status())
                .isIn(BackupStatus.COMPLETED, BackupStatus.FAILED, BackupStatus.CANCELLED);
    }

    @Test
    @DisplayName("when deleting the record's data failed")
    void deleteFailed() {
        assertThat(completionAfter(true).status())
                .isIn(BackupStatus.COMPLETED, BackupStatus.FAILED, BackupStatus.CANCELLED);
    }
}
