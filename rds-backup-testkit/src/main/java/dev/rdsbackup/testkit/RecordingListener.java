package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BackupListener} that records every event, in the order received, for assertions such as
 * {@code assertThat(listener.kinds(id)).containsExactly(CREATED, COPY_STARTED, COMPLETED)}. Thread-safe.
 */
public final class RecordingListener implements BackupListener {

    /** Which listener method was called. */
    public enum Kind {
        /** {@link BackupListener#onCreated}. */
        CREATED,
        /** {@link BackupListener#onVerificationRetry}. */
        VERIFICATION_RETRY,
        /** {@link BackupListener#onCopyStarted}. */
        COPY_STARTED,
        /** {@link BackupListener#onCompleted}. */
        COMPLETED,
        /** {@link BackupListener#onFailed}. */
        FAILED,
        /** {@link BackupListener#onCancelled}. */
        CANCELLED,
        /** {@link BackupListener#onDeleting}. */
        DELETING,
        /** {@link BackupListener#onDeleted}. */
        DELETED,
        /** {@link BackupListener#onDeleteFailed}. */
        DELETE_FAILED
    }

    /**
     * One recorded call.
     *
     * @param kind which method
     * @param backup the record passed in
     * @param reason the retry reason ({@link Kind#VERIFICATION_RETRY} only), or {@code null}
     * @param delay the retry delay ({@link Kind#VERIFICATION_RETRY} only), or {@code null}
     */
    public record Event(Kind kind, BackupRecord backup, ErrorCode reason, Duration delay) {
        /** Checks kind and record. */
        public Event {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(backup, "backup");
        }

        /** The backup id. */
        public String backupId() {
            return backup.id();
        }
    }

    private final List<Event> events = new ArrayList<>();

    /** A listener with nothing recorded. */
    public RecordingListener() {
    }

    private synchronized void record(Kind kind, BackupRecord backup, ErrorCode reason, Duration delay) {
        events.add(new Event(kind, backup, reason, delay));
    }

    @Override
    public void onCreated(BackupRecord backup) {
        record(Kind.CREATED, backup, null, null);
    }

    @Override
    public void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
        record(Kind.VERIFICATION_RETRY, backup, reason, delay);
    }

    @Override
    public void onCopyStarted(BackupRecord backup) {
        record(Kind.COPY_STARTED, backup, null, null);
    }

    @Override
    public void onCompleted(BackupRecord backup) {
        record(Kind.COMPLETED, backup, null, null);
    }

    @Override
    public void onFailed(BackupRecord backup) {
        record(Kind.FAILED, backup, null, null);
    }

    @Override
    public void onCancelled(BackupRecord backup) {
        record(Kind.CANCELLED, backup, null, null);
    }

    @Override
    public void onDeleting(BackupRecord backup) {
        record(Kind.DELETING, backup, null, null);
    }

    @Override
    public void onDeleted(BackupRecord backup) {
        record(Kind.DELETED, backup, null, null);
    }

    @Override
    public void onDeleteFailed(BackupRecord backup) {
        record(Kind.DELETE_FAILED, backup, null, null);
    }

    /** Every event, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * The events of one backup, in order.
     *
     * @param backupId the backup
     * @return its events
     */
    public synchronized List<Event> events(String backupId) {
        return events.stream().filter(e -> e.backupId().equals(backupId)).toList();
    }

    /**
     * The kinds of one backup's events, in order.
     *
     * @param backupId the backup
     * @return its event kinds
     */
    public synchronized List<Kind> kinds(String backupId) {
        return events.stream().filter(e -> e.backupId().equals(backupId)).map(Event::kind).toList();
    }

    /** The kinds of every event, in order. */
    public synchronized List<Kind> kinds() {
        return events.stream().map(Event::kind).toList();
    }

    /**
     * How many events of a kind were recorded.
     *
     * @param kind the kind
     * @return the count
     */
    public synchronized int count(Kind kind) {
        return (int) events.stream().filter(e -> e.kind() == kind).count();
    }

    /**
     * The latest event of one backup.
     *
     * @param backupId the backup
     * @return the event, or empty if none
     */
    public synchronized Optional<Event> last(String backupId) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).backupId().equals(backupId)) {
                return Optional.of(events.get(i));
            }
        }
        return Optional.empty();
    }

    /** Forgets every event. */
    public synchronized void clear() {
        events.clear();
    }
}
