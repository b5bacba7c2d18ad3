package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion stages of create handles: a build run here completes its own; a backup built elsewhere
 * (a create replayed by client token) is watched by one poller per backup, however many handles wait on it.
 */
final class Completions {
    private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

    private final Context c;
    private final Map<String, CompletableFuture<BackupRecord>> watched = new ConcurrentHashMap<>();
    private final Map<String, BackupRecord> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> dueAt = new ConcurrentHashMap<>();

    Completions(Context context) {
        this.c = context;
    }

    /** {@code true} for the statuses a build ends in. */
    static boolean isBuildEnding(BackupStatus status) {
        return status == BackupStatus.COMPLETED || status == BackupStatus.FAILED || status == BackupStatus.CANCELLED;
    }

    /**
     * Completes a handle's stage with how the build ended; when that can no longer be known (another
     * replica ended the build and the backup was deleted, or its deletion started, before this replica
     * read the ending), completes it exceptionally with a {@link BackupException} saying so.
     */
    static void settle(CompletableFuture<BackupRecord> completion, String backupId, BackupRecord last) {
        if (last != null && isBuildEnding(last.status())) {
            completion.complete(last);
        } else if (last == null) {
            completion.completeExceptionally(new BackupException(ErrorCode.BACKUP_NOT_FOUND, "Backup " + backupId
                    + " was ended by another replica and deleted before its ending could be read here."));
        } else if (last.status() != BackupStatus.BUILDING) {
            completion.completeExceptionally(new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup "
                    + backupId + " was ended by another replica and is now " + last.status()
                    + "; its ending can no longer be read here."));
        }
    }

    /** The completion stage for a handle of a stored backup. */
    CompletionStage<BackupRecord> of(BackupRecord backup) {
        if (c.local.get(backup.id()) instanceof BuildRun run) {
            return run.completion.minimalCompletionStage();
        }
        if (backup.status() != BackupStatus.BUILDING) {
            CompletableFuture<BackupRecord> known = new CompletableFuture<>();
            settle(known, backup.id(), backup);
            return known.minimalCompletionStage();
        }
        boolean[] started = {false};
        CompletableFuture<BackupRecord> shared = watched.computeIfAbsent(backup.id(), id -> {
            started[0] = true;
            return new CompletableFuture<>();
        });
        if (started[0]) {
            shared.whenComplete((r, e) -> {
                watched.remove(backup.id(), shared);
                lastSeen.remove(backup.id());
                dueAt.remove(backup.id());
            });
            watch(backup, shared);
        }
        return shared.minimalCompletionStage();
    }

    private Duration every() {
        return c.s.leaseDuration().dividedBy(4);
    }

    private void watch(BackupRecord last, CompletableFuture<BackupRecord> result) {
        lastSeen.put(last.id(), last);
        dueAt.put(last.id(), c.s.clock().instant().plus(every()));
        if (c.scheduling.schedule("watching backup " + last.id(), () -> poll(last, result), every()) == null) {
            dueAt.put(last.id(), Instant.MIN); // asked again by the next service call or reconciler run
        }
    }

    /**
     * Schedules again the watchers the scheduler refused or lost (refused when due, then refused again):
     * any whose poll is long overdue.
     */
    void kickWatchers() {
        Instant now = c.s.clock().instant();
        for (Map.Entry<String, CompletableFuture<BackupRecord>> e : List.copyOf(watched.entrySet())) {
            Instant due = dueAt.get(e.getKey());
            BackupRecord last = lastSeen.get(e.getKey());
            if (!e.getValue().isDone() && due != null && last != null && now.isAfter(due.plus(every()))) {
                watch(last, e.getValue());
            }
        }
    }

    private void poll(BackupRecord last, CompletableFuture<BackupRecord> result) {
        Optional<BackupRecord> now;
        try {
            now = c.writer.find(last.id());
        } catch (RuntimeException e) {
            LOG.debug("Watching backup {} failed once: {}", last.id(), LogSafe.describe(e));
            watch(last, result);
            return;
        }
        if (now.isPresent() && now.get().status() == BackupStatus.BUILDING) {
            watch(now.get(), result);
        } else {
            settle(result, last.id(), now.orElse(null));
        }
    }
}
