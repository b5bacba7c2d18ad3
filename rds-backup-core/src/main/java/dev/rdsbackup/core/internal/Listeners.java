package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls every registered listener; a listener that throws anything, a checked exception thrown sneakily
 * included, is logged and ignored. A {@link VirtualMachineError} (out of memory, say) is rethrown: the
 * service's state is already stored by then, and the scheduler's thread decides what to do with it.
 */
public final class Listeners implements BackupListener {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<BackupListener> listeners;

    /**
     * Creates the composite.
     *
     * @param listeners the listeners, called in this order
     */
    public Listeners(List<BackupListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    private void each(String event, BackupRecord backup, Consumer<BackupListener> call) {
        for (BackupListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (Throwable e) { // NOPMD: Kotlin and @SneakyThrows listeners throw checked exceptions too
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                LOG.warn("Listener {} threw on {} of backup {}; ignored: {}", listener.getClass().getName(), event,
                        backup.id(), LogSafe.describe(e));
            }
        }
    }

    @Override
    public void onCreated(BackupRecord backup) {
        each("created", backup, l -> l.onCreated(backup));
    }

    @Override
    public void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
        each("verification retry", backup, l -> l.onVerificationRetry(backup, reason, delay));
    }

    @Override
    public void onCopyStarted(BackupRecord backup) {
        each("copy started", backup, l -> l.onCopyStarted(backup));
    }

    @Override
    public void onCompleted(BackupRecord backup) {
        each("completed", backup, l -> l.onCompleted(backup));
    }

    @Override
    public void onFailed(BackupRecord backup) {
        each("failed", backup, l -> l.onFailed(backup));
    }

    @Override
    public void onCancelled(BackupRecord backup) {
        each("cancelled", backup, l -> l.onCancelled(backup));
    }

    @Override
    public void onDeleting(BackupRecord backup) {
        each("deleting", backup, l -> l.onDeleting(backup));
    }

    @Override
    public void onDeleted(BackupRecord backup) {
        each("deleted", backup, l -> l.onDeleted(backup));
    }

    @Override
    public void onDeleteFailed(BackupRecord backup) {
        each("delete failed", backup, l -> l.onDeleteFailed(backup));
    }
}
