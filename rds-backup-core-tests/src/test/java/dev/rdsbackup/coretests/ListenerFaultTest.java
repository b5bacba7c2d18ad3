package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.Sneaky;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 11, item 4: a listener that throws a checked exception (Kotlin, {@code @SneakyThrows}) is contained. */
@DisplayName("A listener throwing a checked exception")
class ListenerFaultTest {
    private final Harness h = new Harness();

    /** Throws a checked exception from every event. */
    private static final class Throwing implements BackupListener {
        @Override
        public void onCreated(BackupRecord backup) {
            throw Sneaky.sneakyThrow(new IOException("injected: onCreated"));
        }

        @Override
        public void onCopyStarted(BackupRecord backup) {
            throw Sneaky.sneakyThrow(new IOException("injected: onCopyStarted"));
        }

        @Override
        public void onCancelled(BackupRecord backup) {
            throw Sneaky.sneakyThrow(new IOException("injected: onCancelled"));
        }

        @Override
        public void onCompleted(BackupRecord backup) {
            throw Sneaky.sneakyThrow(new IOException("injected: onCompleted"));
        }
    }

    private final DefaultBackupService service =
            h.baseBuilder("replica-l", h.scheduler).listener(new Throwing()).build();

    @Test
    @DisplayName("does not stop a created backup from running and completing its handle")
    void create() {
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(h.stored(handle.backupId()));
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("does not make a cancel throw, and the handle completes")
    void cancel() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        BackupRecord answer = service.cancel(PROJECT, handle.backupId());
        h.settle();
        assertThat(answer.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(handle.completion().toCompletableFuture()).isCompleted();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
