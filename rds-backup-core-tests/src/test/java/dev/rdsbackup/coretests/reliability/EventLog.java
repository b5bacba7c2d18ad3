package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners of every replica ({@link #forReplica}): records each backup's events in the order they
 * arrive, with the replica that told them, and, while told to, throws from every event, an unchecked
 * exception or a checked one thrown sneakily (as Kotlin code or Lombok's {@code @SneakyThrows} do).
 * Endings are counted over all replicas (the system tells each ending once); the lifecycle order is that
 * of each replica's own listener, since a replica that has not yet seen another's ending cannot order its
 * events after it. Single-threaded.
 */
final class EventLog {

    /** Listener events, in lifecycle order of their {@link #rank}. */
    enum Kind {
        CREATED(0), VERIFICATION_RETRY(1), COPY_STARTED(2), COMPLETED(3), FAILED(3), CANCELLED(3), DELETING(4),
        DELETED(5), DELETE_FAILED(5);

        final int rank;

        Kind(int rank) {
            this.rank = rank;
        }

        boolean isEnding() {
            return rank == 3;
        }
    }

    /** What the listener throws. */
    enum Throwing { NOTHING, UNCHECKED, CHECKED }

    /** One event: which replica's listener was told what. */
    record Event(String replica, Kind kind) {
        @Override
        public String toString() {
            return replica + ":" + kind;
        }
    }

    Throwing throwing = Throwing.NOTHING;
    private final Map<String, List<Event>> events = new HashMap<>();

    List<Kind> of(String backupId) {
        return events.getOrDefault(backupId, List.of()).stream().map(Event::kind).toList();
    }

    long endings(String backupId) {
        return of(backupId).stream().filter(Kind::isEnding).count();
    }

    /** Backups told of more than one ending. */
    List<String> endedTwice() {
        return events.keySet().stream().filter(id -> endings(id) > 1).sorted().toList();
    }

    /**
     * Backups whose events are out of lifecycle order: created first, then verification retries, the copy,
     * one ending, then deleting and deleted or delete-failed (a failed delete may be asked for again).
     */
    List<String> outOfOrder() {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, List<Event>> e : events.entrySet()) {
            for (String replica : e.getValue().stream().map(Event::replica).distinct().toList()) {
                // A failed delete may be asked for again on another replica, which tells onDeleting (and
                // perhaps onDeleteFailed); this replica's reconciler may finish that deletion and tell how it
                // ended. Those events of the other replica count in this replica's order.
                List<Kind> kinds = new ArrayList<>();
                boolean borrowed = false;
                for (Event ev : e.getValue()) {
                    Kind last = kinds.isEmpty() ? null : kinds.get(kinds.size() - 1);
                    if (ev.replica().equals(replica)) {
                        kinds.add(ev.kind());
                        borrowed = false;
                    } else if (ev.kind() == Kind.DELETING && last == Kind.DELETE_FAILED
                            || ev.kind() == Kind.DELETE_FAILED && last == Kind.DELETING && borrowed) {
                        kinds.add(ev.kind());
                        borrowed = true;
                    }
                }
                if (!inOrder(kinds)) {
                    wrong.add(e.getKey() + " " + e.getValue());
                    break;
                }
            }
        }
        wrong.sort(null);
        return wrong;
    }

    private static boolean inOrder(List<Kind> kinds) {
        int rank = -1;
        for (int i = 0; i < kinds.size(); i++) {
            Kind k = kinds.get(i);
            boolean again = k == Kind.DELETING && i > 0 && kinds.get(i - 1) == Kind.DELETE_FAILED;
            boolean retryAgain = k == Kind.VERIFICATION_RETRY && rank == Kind.VERIFICATION_RETRY.rank;
            if (k.rank <= rank && !again && !retryAgain || k == Kind.CREATED && i > 0) {
                return false;
            }
            rank = k.rank;
        }
        return true;
    }

    /** The listener of one replica. */
    BackupListener forReplica(String replicaId) {
        return new ReplicaListener(replicaId);
    }

    private void record(String replica, BackupRecord backup, Kind kind) {
        events.computeIfAbsent(backup.id(), id -> new ArrayList<>()).add(new Event(replica, kind));
        switch (throwing) {
            case UNCHECKED -> throw new IllegalStateException("injected: listener failed on " + kind);
            case CHECKED -> throw Sneaky.<RuntimeException>raise(new IOException("injected: listener's checked "
                    + "exception on " + kind));
            default -> {
            }
        }
    }

    /** Records the events told to one replica's listener. */
    private final class ReplicaListener implements BackupListener {
        private final String replica;

        ReplicaListener(String replica) {
            this.replica = replica;
        }

        @Override
        public void onCreated(BackupRecord backup) {
            record(replica, backup, Kind.CREATED);
        }

        @Override
        public void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
            record(replica, backup, Kind.VERIFICATION_RETRY);
        }

        @Override
        public void onCopyStarted(BackupRecord backup) {
            record(replica, backup, Kind.COPY_STARTED);
        }

        @Override
        public void onCompleted(BackupRecord backup) {
            record(replica, backup, Kind.COMPLETED);
        }

        @Override
        public void onFailed(BackupRecord backup) {
            record(replica, backup, Kind.FAILED);
        }

        @Override
        public void onCancelled(BackupRecord backup) {
            record(replica, backup, Kind.CANCELLED);
        }

        @Override
        public void onDeleting(BackupRecord backup) {
            record(replica, backup, Kind.DELETING);
        }

        @Override
        public void onDeleted(BackupRecord backup) {
            record(replica, backup, Kind.DELETED);
        }

        @Override
        public void onDeleteFailed(BackupRecord backup) {
            record(replica, backup, Kind.DELETE_FAILED);
        }
    }

    /** Throws a checked exception from a method that does not declare it. */
    static final class Sneaky {
        private Sneaky() {
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> T raise(Throwable t) throws T {
            throw (T) t;
        }
    }
}
