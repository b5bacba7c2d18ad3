package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deletion of a backup's data, run on the backup's serial queue under this replica's lease: the engine
 * deletes the artifact (within the stall timeout), then the record is removed, or marked
 * {@code DELETE_FAILED}. A final write whose outcome is unknown is read back until it is known, so
 * {@code onDeleted} and {@code onDeleteFailed} are told.
 */
final class DeletionRun implements LocalWork.Work {
    private static final Logger LOG = LoggerFactory.getLogger(DeletionRun.class);

    private final Context c;
    private final String id;
    private BackupRecord record;
    private boolean done;
    private int failures;
    private ScheduledTask deadline;
    private ScheduledTask retry;
    private volatile Runnable owed;
    private Duration owedDelay;

    DeletionRun(Context context, BackupRecord deleting) {
        this.c = context;
        this.id = deleting.id();
        this.record = deleting;
    }

    @Override
    public String id() {
        return id;
    }

    /** The backup's serial queue, looked up at each use (see {@code RunState.queue()}). */
    private SerialQueue queue() {
        return c.local.queue(id);
    }

    /** Holds the work and asks the engine to delete the data; on the backup's queue. */
    void start() {
        c.local.hold(this);
        queue().runHere(this::deleteArtifact);
    }

    private ScheduledTask later(String what, Runnable step, Duration delay) {
        ScheduledTask task = c.scheduling.schedule(what + " of backup " + id, () -> queue().runHere(step), delay);
        if (task == null) {
            owed = step;
            owedDelay = delay;
        }
        return task;
    }

    private void deleteArtifact() {
        CompletionStage<Void> stage;
        try {
            stage = c.s.engine().deleteArtifact(record);
            if (stage == null) {
                throw new IllegalStateException("the engine returned no delete stage");
            }
        } catch (Throwable e) { // NOPMD: an adapter may throw anything
            Obligations.rethrowIfFatal(e);
            onArtifactDeleted(e);
            return;
        }
        queue().whenComplete(stage, (ok, e) -> onArtifactDeleted(e));
        if (!done && deadline == null) {
            deadline = later("the deletion deadline", () -> onArtifactDeleted(
                    new TimeoutException("no answer within " + c.s.stallTimeout())), c.s.stallTimeout());
        }
    }

    private void onArtifactDeleted(Throwable failure) {
        if (done) {
            return;
        }
        Scheduling.cancel(deadline);
        deadline = null;
        if (failure == null) {
            remove(0);
        } else {
            String message = "The stored backup data could not be deleted: " + LogSafe.describe(failure)
                    + "; delete the backup again to retry.";
            markFailed(new BackupFailure(ErrorCode.ARTIFACT_DELETE_FAILED, message), 0);
        }
    }

    private boolean stillMine(BackupRecord fresh) {
        return fresh.status() == BackupStatus.DELETING && c.holdsLease(fresh);
    }

    private void remove(int round) {
        Outcome outcome = c.writer.remove(record);
        if (outcome instanceof Outcome.Written) {
            removed();
        } else if (outcome instanceof Outcome.Conflict conflict) {
            Optional<BackupRecord> fresh = conflict.current();
            if (fresh.isPresent() && stillMine(fresh.get()) && round < Context.MAX_CAS_ROUNDS) {
                record = fresh.get();
                remove(round + 1);
            } else {
                lost(fresh.orElse(null));
            }
        } else {
            readBackLater("a retry of the record's removal", this::removalSettled);
        }
    }

    /**
     * Reads the record back later (again and again while the store fails), then hands it to {@code then}:
     * how a write whose outcome is unknown, or that failed, is resolved here.
     */
    private void readBackLater(String what, Consumer<Optional<BackupRecord>> then) {
        retry = later(what, () -> {
            if (done) {
                return;
            }
            retry = null;
            Optional<BackupRecord> fresh;
            try {
                fresh = c.writer.find(id);
            } catch (RuntimeException e) {
                readBackLater(what, then);
                return;
            }
            then.accept(fresh);
        }, Context.retryDelay(++failures));
    }

    private void removalSettled(Optional<BackupRecord> fresh) {
        if (fresh.isEmpty()) {
            removed();
        } else if (stillMine(fresh.get())) {
            record = fresh.get();
            remove(0);
        } else {
            lost(fresh.get());
        }
    }

    private void removed() {
        finish();
        LOG.info("Backup {} deleted", id);
        c.events.deleted(record);
    }

    private void markFailed(BackupFailure failure, int round) {
        BackupRecord next = record.toBuilder().status(BackupStatus.DELETE_FAILED).failure(failure).lease(null).build();
        Outcome outcome = c.writer.write(next, record.version());
        if (outcome instanceof Outcome.Written w) {
            failed(w.record());
        } else if (outcome instanceof Outcome.Conflict conflict) {
            Optional<BackupRecord> fresh = conflict.current();
            if (fresh.isPresent() && stillMine(fresh.get()) && round < Context.MAX_CAS_ROUNDS) {
                record = fresh.get();
                markFailed(failure, round + 1);
            } else {
                lost(fresh.orElse(null));
            }
        } else {
            BackupRecord attempted = RecordWriter.truncated(next);
            readBackLater("a retry of the deletion's failure", fresh -> failureSettled(attempted, failure, fresh));
        }
    }

    private void failureSettled(BackupRecord attempted, BackupFailure failure, Optional<BackupRecord> fresh) {
        if (fresh.isPresent() && RecordWriter.landed(fresh.get(), attempted)) {
            failed(fresh.get());
        } else if (fresh.isPresent() && stillMine(fresh.get())) {
            record = fresh.get();
            markFailed(failure, 0);
        } else {
            lost(fresh.orElse(null));
        }
    }

    private void failed(BackupRecord failed) {
        record = failed;
        finish();
        LOG.warn("Backup {}: deleting its data failed", id);
        c.events.deleteFailed(failed);
    }

    private void lost(BackupRecord fresh) {
        finish();
        LOG.info("Backup {}: its deletion was taken over elsewhere ({})", id, fresh == null ? "gone" : fresh.status());
    }

    private void finish() {
        done = true;
        owed = null;
        Scheduling.cancel(deadline);
        Scheduling.cancel(retry);
        c.local.release(this);
    }

    @Override
    public boolean owesStep() {
        return owed != null;
    }

    @Override
    public void kick() {
        if (!done && owed != null) {
            Runnable step = owed;
            owed = null;
            retry = later("a step the scheduler refused", step, owedDelay);
        }
    }

    @Override
    public void leaseNotRenewed() {
        if (done) {
            return;
        }
        try {
            Optional<BackupRecord> fresh = c.writer.find(id);
            if (fresh.isEmpty() || !stillMine(fresh.get())) {
                lost(fresh.orElse(null));
            } else {
                record = fresh.get();
            }
        } catch (RuntimeException e) {
            LOG.debug("Backup {}: could not check its lease: {}", id, LogSafe.describe(e));
        }
    }

    @Override
    public void handOver() {
        if (!done) {
            finish();
            LOG.info("Backup {}: deletion handed over at shutdown", id);
        }
    }
}
