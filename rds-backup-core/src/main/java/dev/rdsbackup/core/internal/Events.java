package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Tells the listeners, through the backup's serial queue: the events of one backup arrive one at a time and
 * in the order the lifecycle decided them, and never while the service holds a lock. A listener that throws
 * anything (a checked exception thrown sneakily included) is logged and ignored by {@link Listeners}.
 */
final class Events {
    private final Listeners listeners;
    private final LocalWork local;

    Events(Listeners listeners, LocalWork local) {
        this.listeners = listeners;
        this.local = local;
    }

    private void tell(BackupRecord backup, Consumer<Listeners> call) {
        local.queue(backup.id()).runHere(() -> call.accept(listeners));
    }

    void created(BackupRecord b) {
        tell(b, l -> l.onCreated(b));
    }

    void verificationRetry(BackupRecord b, ErrorCode reason, Duration delay) {
        tell(b, l -> l.onVerificationRetry(b, reason, delay));
    }

    void copyStarted(BackupRecord b) {
        tell(b, l -> l.onCopyStarted(b));
    }

    /** The event of a build's ending: completed, failed or cancelled. */
    void ended(BackupRecord b) {
        switch (b.status()) {
            case COMPLETED -> tell(b, l -> l.onCompleted(b));
            case CANCELLED -> tell(b, l -> l.onCancelled(b));
            default -> tell(b, l -> l.onFailed(b));
        }
    }

    void deleting(BackupRecord b) {
        tell(b, l -> l.onDeleting(b));
    }

    void deleted(BackupRecord b) {
        tell(b, l -> l.onDeleted(b));
    }

    void deleteFailed(BackupRecord b) {
        tell(b, l -> l.onDeleteFailed(b));
    }

    /** Runs a step on the backup's queue after the events already queued (in this thread if it is free). */
    void after(String backupId, Runnable step) {
        local.queue(backupId).runHere(step);
    }

    /** The listeners themselves. */
    BackupListener listeners() {
        return listeners;
    }
}
