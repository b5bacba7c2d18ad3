package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a build from outside its run: a cancel (on request, or because the instance was deleted) and the
 * reconciler's failure of a build whose replica stopped. A build this replica runs is ended by its run,
 * on its queue; any other is ended here with a compare-and-set, wherever it runs. Either way the ending
 * keeps the lock recorded under the writer's lease, and {@link Obligations} stops the copy (by the
 * backup's id, wherever it runs) and releases the lock.
 */
final class Endings {
    private static final Logger LOG = LoggerFactory.getLogger(Endings.class);

    private final Context c;
    private final Obligations obligations;
    /**
     * Endings this replica wrote whose outcome is still unknown, by backup id: any later read of the
     * record by this replica (a get, a cancel, a delete) that shows the write landed resolves it, so the
     * ending is told even when the backup is deleted before a re-read of its own gets through.
     */
    private final Map<String, BackupRecord> inDoubt = new ConcurrentHashMap<>();

    Endings(Context context, Obligations obligations) {
        this.c = context;
        this.obligations = obligations;
    }

    /**
     * Cancels a build.
     *
     * @param backup the record as read
     * @param reason the failure to record, {@code null} for a cancel on request
     * @return the cancelled record
     * @throws BackupException {@code BACKUP_STATUS_CONFLICT} if it ended otherwise, {@code BACKUP_NOT_FOUND}
     *     if it is gone, {@code SERVICE_UNAVAILABLE} if the store failed
     */
    BackupRecord cancel(BackupRecord backup, BackupFailure reason) {
        if (c.local.get(backup.id()) instanceof BuildRun run && backup.status() == BackupStatus.BUILDING) {
            BackupRecord byRun = cancelByRun(run, reason);
            if (byRun != null) {
                return cancelResult(byRun);
            }
            backup = StoreCalls.find(c, backup.projectId(), backup.id());
        }
        BackupRecord current = backup;
        for (int round = 0; round < Context.MAX_CAS_ROUNDS; round++) {
            if (current.status() != BackupStatus.BUILDING) {
                notifyRun(current);
                return cancelResult(current);
            }
            Optional<BackupRecord> ended = end(current, BackupStatus.CANCELLED, reason);
            if (ended.isPresent()) {
                LOG.info("Backup {} cancelled (it was built by replica {})", current.id(),
                        current.lease() == null ? "none" : current.lease().owner());
                return ended.get();
            }
            current = StoreCalls.find(c, backup.projectId(), backup.id());
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + backup.id() + " kept changing while being cancelled; try again.");
    }

    /**
     * Cancels through the run, on its queue in this thread, so the cancel takes its turn among the run's
     * steps. When another thread is working on the queue right now, answers {@code null} at once instead of
     * waiting: the cancel then goes through the store like a cancel from another replica.
     */
    private BackupRecord cancelByRun(BuildRun run, BackupFailure reason) {
        CompletableFuture<BackupRecord> answer = new CompletableFuture<>();
        SerialQueue queue = c.local.queue(run.id());
        if (!queue.runExclusive(() -> run.cancel(reason, answer))) {
            return null;
        }
        if (answer.isDone() && !answer.isCompletedExceptionally() && answer.join() != null) {
            queue.drainHere(); // the cancel's own events, and answers that now find the run ended
        } else {
            queue.kick(); // a refused cancel changes nothing here: queued answers run on the scheduler
        }
        if (!answer.isDone()) {
            return null;
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BackupException be) {
                throw be;
            }
            throw e;
        }
    }

    static BackupRecord cancelResult(BackupRecord ended) {
        if (ended.status() == BackupStatus.CANCELLED) {
            return ended;
        }
        throw new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup " + ended.id() + " is "
                + ended.status() + "; only a BUILDING backup can be cancelled.");
    }

    /**
     * Writes a build's ending over a record read as {@code BUILDING}, then does what it owes and tells.
     *
     * @return the ended record as it is once its obligations ran (or are under way), or empty if the record
     *     changed meanwhile (read it again)
     * @throws BackupException {@code SERVICE_UNAVAILABLE} if the store failed
     */
    Optional<BackupRecord> end(BackupRecord current, BackupStatus status, BackupFailure reason) {
        BackupRecord next = current.toBuilder()
                .status(status)
                .endTime(c.endTimeOf(current))
                .failure(reason)
                .progress(null)
                .lease(current.lock() != null ? c.newLease() : null)
                .build();
        Outcome outcome = c.writer.write(next, current.version());
        if (outcome instanceof Outcome.Written w) {
            // An earlier ending of this replica's that was in doubt did not land (this write found the record
            // still BUILDING at the version it read): its check must not tell a second ending.
            inDoubt.remove(w.record().id());
            return Optional.of(afterEnding(w.record()));
        }
        if (outcome instanceof Outcome.Conflict conflict) {
            if (conflict.current().isEmpty()) {
                throw new BackupException(ErrorCode.BACKUP_NOT_FOUND,
                        "Backup " + current.id() + " was not found in project " + current.projectId() + ".");
            }
            return Optional.empty();
        }
        if (outcome instanceof Outcome.Unknown unknown) {
            BackupRecord attempted = RecordWriter.truncated(next);
            inDoubt.put(attempted.id(), attempted);
            resolveLater(attempted, 1);
            throw StoreCalls.unavailable(unknown.cause());
        }
        throw StoreCalls.unavailable(((Outcome.Failed) outcome).cause());
    }

    /** Obligations, then the listeners and the local run (if any) are told; on the backup's queue. */
    private BackupRecord afterEnding(BackupRecord ended) {
        // The run is looked up now: the obligations take its place among this replica's work.
        BuildRun run = c.local.get(ended.id()) instanceof BuildRun r ? r : null;
        if (run != null) {
            run.stopBeforeNextStep(); // at once, also while another thread works on the run's queue
        }
        BackupRecord[] latest = {ended};
        c.events.after(ended.id(), () -> {
            if (Obligations.owed(ended)) {
                obligations.fulfil(ended, (done, tell) -> {
                    latest[0] = done;
                    told(done, run, tell);
                });
            } else {
                told(ended, run, ended.lease() == null);
            }
        });
        return latest[0];
    }

    private void told(BackupRecord ended, BuildRun run, boolean tell) {
        if (tell) { // else whoever finishes what it owes tells
            c.events.ended(ended);
        }
        if (run != null) {
            c.events.after(ended.id(), () -> run.endedElsewhere(ended));
        }
    }

    /**
     * Tells this replica's run of a backup that it was just read as ended elsewhere. The run hears it on
     * the scheduler, not in the caller's thread: a read (or a refused call) changes nothing itself.
     */
    void notifyRun(BackupRecord seen) {
        BackupRecord attempted = inDoubt.get(seen.id());
        if (attempted != null && RecordWriter.landed(seen, attempted) && inDoubt.remove(seen.id(), attempted)) {
            afterEnding(seen); // tells the run too
            return;
        }
        if (Completions.isBuildEnding(seen.status()) && c.local.get(seen.id()) instanceof BuildRun run) {
            run.stopBeforeNextStep();
            c.local.queue(seen.id()).submit(() -> run.endedElsewhere(seen));
        }
    }

    /**
     * Before a backup read as ended is deleted: lets this replica's run of it, if it still holds it (its own
     * ending in doubt, say), take that ending now in this thread, so that the listeners hear the ending
     * before {@code onDeleting}.
     *
     * @return {@code false} if another thread is working on the backup's queue right now
     */
    boolean settleRun(BackupRecord seen) {
        if (!Completions.isBuildEnding(seen.status()) || !(c.local.get(seen.id()) instanceof BuildRun run)) {
            return true;
        }
        run.stopBeforeNextStep();
        SerialQueue queue = c.local.queue(seen.id());
        if (!queue.runExclusive(() -> run.endedElsewhere(seen))) {
            return false;
        }
        queue.drainHere();
        return true;
    }

    /** An ending whose write may have landed: read it back later, and if it did, go on from there. */
    private void resolveLater(BackupRecord attempted, int failures) {
        if (failures > 8) {
            LOG.warn("Backup {}: whether its ending was stored is still unknown; left to the reconciler",
                    attempted.id());
            return;
        }
        ScheduledTask task = c.scheduling.schedule("a check of backup " + attempted.id() + "'s ending", () -> {
            Optional<BackupRecord> fresh;
            try {
                fresh = c.writer.find(attempted.id());
            } catch (RuntimeException e) {
                resolveLater(attempted, failures + 1);
                return;
            }
            settle(attempted, fresh);
        }, Context.retryDelay(failures));
        if (task == null) {
            LOG.debug("Backup {}: the check of its ending was refused; the reconciler reads it back",
                    attempted.id());
        }
    }

    /**
     * Reads back every ending of this replica's still in doubt: run by the reconciler, so an ending whose
     * own check was lost (the scheduler refused it, or the store kept failing) is told once its record can
     * be read.
     */
    void resolveInDoubt() {
        for (BackupRecord attempted : inDoubt.values()) {
            Optional<BackupRecord> fresh;
            try {
                fresh = c.writer.find(attempted.id());
            } catch (RuntimeException e) {
                return; // the store is failing: the next run tries again, not each entry now
            }
            settle(attempted, fresh);
        }
    }

    /** Goes on from an ending in doubt once its record is read: told if it landed, forgotten if not. */
    private void settle(BackupRecord attempted, Optional<BackupRecord> fresh) {
        if (fresh.isPresent() && RecordWriter.landed(fresh.get(), attempted)) {
            if (inDoubt.remove(attempted.id(), attempted)) {
                afterEnding(fresh.get());
            }
        } else {
            inDoubt.remove(attempted.id(), attempted);
        }
    }
}
