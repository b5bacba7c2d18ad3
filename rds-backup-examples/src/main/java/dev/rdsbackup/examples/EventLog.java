package dev.rdsbackup.examples;

import static dev.rdsbackup.examples.TextTable.bytes;
import static dev.rdsbackup.examples.TextTable.duration;
import static dev.rdsbackup.examples.TextTable.time;

import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.ErrorCode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * A {@link BackupListener} that prints each lifecycle event as it happens, stamped with the virtual time.
 * A host would write audit records and metrics here. Like the library's own logs, it never prints a
 * backup's description: that is the user's text.
 */
public final class EventLog implements BackupListener {

    private final PrintStream out;
    private final Clock clock;

    /**
     * A log printing to {@code out}.
     *
     * @param out where to print
     * @param clock the time to stamp events with
     */
    public EventLog(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * Prints a line of the demo itself (what the control plane calls), stamped like the events.
     *
     * @param text the line
     */
    public void demo(String text) {
        out.println("[" + time(clock.instant()) + "] demo   " + text);
    }

    private void event(BackupRecord backup, String what, String detail) {
        out.printf("[%s] event  %s %-10s %s%n", time(clock.instant()), backup.id(), what, detail);
    }

    @Override
    public void onCreated(BackupRecord backup) {
        String eta = backup.progressIfAny().map(p -> ", estimated completion " + time(p.estimatedCompletion()))
                .orElse("");
        event(backup, "CREATED", backup.type() + " '" + backup.name() + "' of " + backup.instanceId() + " ("
                + backup.datastore() + (backup.databases().isEmpty() ? "" : ", databases " + backup.databases())
                + ")" + eta);
    }

    @Override
    public void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
        event(backup, "RETRY", "attempt " + backup.attempts() + " failed: " + reason + " (" + reason.summary()
                + "); retrying in " + duration(delay));
    }

    @Override
    public void onCopyStarted(BackupRecord backup) {
        event(backup, "COPYING", "verified on attempt " + backup.attempts() + ", backup lock held");
    }

    @Override
    public void onCompleted(BackupRecord backup) {
        event(backup, "COMPLETED", bytes(backup.sizeBytes()) + " stored in "
                + duration(Duration.between(backup.beginTime(), backup.endTime())));
    }

    @Override
    public void onFailed(BackupRecord backup) {
        event(backup, "FAILED", backup.failureIfAny().map(f -> f.code() + ": " + f.message()).orElse(""));
    }

    @Override
    public void onCancelled(BackupRecord backup) {
        event(backup, "CANCELLED", backup.failureIfAny().map(f -> "reason " + f.code()).orElse("on request"));
    }

    @Override
    public void onDeleting(BackupRecord backup) {
        event(backup, "DELETING", backup.type() + " '" + backup.name() + "'");
    }

    @Override
    public void onDeleted(BackupRecord backup) {
        event(backup, "DELETED", "data and record gone");
    }

    @Override
    public void onDeleteFailed(BackupRecord backup) {
        event(backup, "DEL_FAILED", backup.failureIfAny().map(f -> f.code().toString()).orElse(""));
    }
}
