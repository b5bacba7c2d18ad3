package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Found by the lifecycle state machine (shrunk to four steps): a backup built by replica A is cancelled by
 * replica B and then deleted. A's {@code BackupHandle.completion()} used to complete with A's own stale
 * {@code BUILDING} record. Now it completes with the ending whenever A can read it, and exceptionally,
 * saying why, when the backup was ended and deleted elsewhere before A could.
 */
@DisplayName("A handle whose backup was ended by another replica")
class HandleCompletionTest {

    private static World cancelledByBThenDeletedVia(int deletingReplica, boolean deleteFails) {
        World w = new World();
        Quiet.run(() -> {
            w.create(0, 0, 0, 0, 0, false);   // create via A on proj-a/inst-1 name=Daily
            w.cancel(1, 0, false);            // cancel via B
            if (deleteFails) {
                w.engine.failNextDeletes(1);
            }
            w.delete(deletingReplica, 0, false);
            w.advance(Duration.ofSeconds(1)); // A's first verification attempt
        });
        return w;
    }

    private static BackupHandle handle(World w) {
        return w.handles.get(0).handle();
    }

    @Test
    @DisplayName("completes with CANCELLED when the owner itself deletes it afterwards")
    void ownerDeletes() {
        BackupRecord done = handle(cancelledByBThenDeletedVia(0, false)).completion().toCompletableFuture().join();
        assertThat(done.status()).isEqualTo(BackupStatus.CANCELLED);
    }

    @Test
    @DisplayName("completes with CANCELLED when the owner's delete of its data fails")
    void ownerDeleteFails() {
        BackupRecord done = handle(cancelledByBThenDeletedVia(0, true)).completion().toCompletableFuture().join();
        assertThat(done.status()).isEqualTo(BackupStatus.CANCELLED);
    }

    @Test
    @DisplayName("completes exceptionally with BACKUP_NOT_FOUND when it was deleted elsewhere before the owner saw the end")
    void deletedElsewhere() {
        World w = cancelledByBThenDeletedVia(1, false);
        assertThatThrownBy(() -> handle(w).completion().toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND));
        w.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("completes exceptionally with BACKUP_STATUS_CONFLICT when its deletion elsewhere failed")
    void deleteFailedElsewhere() {
        World w = cancelledByBThenDeletedVia(1, true);
        assertThatThrownBy(() -> handle(w).completion().toCompletableFuture().join())
                .cause().isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_STATUS_CONFLICT));
        w.probe.assertEveryLockReleasedExactlyOnce();
    }
}
