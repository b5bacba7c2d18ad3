package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ending of a build: written by the run itself, on request (a cancel), or found written elsewhere. */
abstract class RunEnding extends RunState {
    private static final Logger LOG = LoggerFactory.getLogger(RunEnding.class);

    RunEnding(Context context, Obligations obligations, Estimator estimator, BackupRecord created,
            InstanceInfo instance) {
        super(context, obligations, estimator, created, instance);
    }

    // ------------------------------------------------------------------------------------------------
    // Ending

    /** Writes the build's ending; the lock stays recorded, under this replica's lease, until released. */
    void finish(BackupStatus status, BackupFailure failure, long size) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.FINISHING;
        stopTimers();
        writeEnding(status, failure, size, 0);
    }

    BackupRecord ending(BackupRecord r, BackupStatus status, BackupFailure failure, long size) {
        return r.toBuilder()
                .status(status)
                .endTime(c.endTimeOf(r))
                .attempts(Math.max(r.attempts(), attempt))
                .sizeBytes(status == BackupStatus.COMPLETED ? size : 0L)
                .failure(failure)
                .progress(null)
                .lease(r.lock() != null ? c.newLease() : null)
                .build();
    }

    void writeEnding(BackupStatus status, BackupFailure failure, long size, int round) {
        BackupRecord ended = ending(record, status, failure, size);
        Outcome outcome = c.writer.write(ended, record.version());
        if (outcome instanceof Outcome.Written w) {
            ended(w.record());
        } else if (outcome instanceof Outcome.Conflict conflict) {
            Optional<BackupRecord> fresh = conflict.current();
            if (fresh.isPresent() && stillMine(fresh.get()) && round < Context.MAX_CAS_ROUNDS) {
                record = fresh.get();
                writeEnding(status, failure, size, round + 1);
            } else {
                endedElsewhere(fresh.orElse(null));
            }
        } else {
            LOG.warn("Backup {}: could not record {} ({}); trying again", id, status,
                    outcome instanceof Outcome.Failed f ? LogSafe.describe(f.cause())
                            : LogSafe.describe(((Outcome.Unknown) outcome).cause()));
            BackupRecord attempted = ended;
            pendingEnding = RecordWriter.truncated(attempted);
            retryTask = later("a retry of the ending", () -> resolveEnding(attempted, status, failure, size),
                    Context.retryDelay(++storeFailures));
        }
    }

    /** An ending whose write failed or is unknown: read the record; go on, write again, or stop. */
    void resolveEnding(BackupRecord attempted, BackupStatus status, BackupFailure failure, long size) {
        if (phase == Phase.DONE) {
            return;
        }
        Optional<BackupRecord> fresh;
        try {
            fresh = c.writer.find(id);
        } catch (RuntimeException e) {
            retryTask = later("a retry of the ending", () -> resolveEnding(attempted, status, failure, size),
                    Context.retryDelay(++storeFailures));
            return;
        }
        if (fresh.isPresent() && RecordWriter.landed(fresh.get(), RecordWriter.truncated(attempted))) {
            ended(fresh.get());
        } else if (fresh.isPresent() && stillMine(fresh.get())) {
            record = fresh.get();
            writeEnding(status, failure, size, 0);
        } else {
            endedElsewhere(fresh.orElse(null));
        }
    }

    void ended(BackupRecord ended) {
        ended(ended, null);
    }

    void ended(BackupRecord ended, CompletableFuture<BackupRecord> answer) {
        record = ended;
        phase = Phase.DONE;
        stopTimers();
        switch (ended.status()) {
            case COMPLETED -> LOG.info("Backup {} completed: {} bytes", id, ended.sizeBytes());
            case CANCELLED -> LOG.info("Backup {} cancelled", id);
            default -> LOG.warn("Backup {} failed: {}", id, ended.failure() == null ? "unknown" : ended.failure().code());
        }
        c.local.release(this);
        if (Obligations.owed(ended)) {
            obligations.fulfil(ended, (latest, tell) -> told(latest, answer, tell));
        } else {
            told(ended, answer);
        }
        if (answer != null && !answer.isDone()) {
            answer.complete(ended);
        }
    }

    void told(BackupRecord latest, CompletableFuture<BackupRecord> answer) {
        told(latest, answer, latest.lease() == null);
    }

    void told(BackupRecord latest, CompletableFuture<BackupRecord> answer, boolean tell) {
        if (answer != null) {
            answer.complete(latest);
        }
        // The ending is told by whoever clears what it owed (or by its writer when it owed nothing): when
        // the obligations were left to the reconciler or taken over, the replica that finishes them tells.
        if (tell) {
            c.events.ended(latest);
        }
        c.events.after(id, () -> completion.complete(latest));
    }

    /**
     * A cancel on request, on the queue. Completes {@code answer} with the ended record, with {@code null}
     * when the run is not the one to end it (it ended, or was ended elsewhere: the caller reads the store),
     * or exceptionally when the store failed (the run goes on as before, or, if the write may have landed,
     * finds out in the background).
     */
    void cancel(BackupFailure reason, CompletableFuture<BackupRecord> answer) {
        for (int round = 0; phase != Phase.DONE && round < Context.MAX_CAS_ROUNDS; round++) {
            BackupRecord ended = ending(record, BackupStatus.CANCELLED, reason, 0L);
            Outcome outcome = c.writer.write(ended, record.version());
            if (outcome instanceof Outcome.Written w) {
                ended(w.record(), answer);
                return;
            }
            if (outcome instanceof Outcome.Conflict conflict) {
                Optional<BackupRecord> fresh = conflict.current();
                if (fresh.isPresent() && stillMine(fresh.get())) {
                    record = fresh.get();
                    continue;
                }
                endedElsewhere(fresh.orElse(null));
                break;
            }
            if (outcome instanceof Outcome.Unknown) {
                phase = Phase.FINISHING;
                stopTimers();
                pendingEnding = RecordWriter.truncated(ended);
                retryTask = later("a check of a cancel", () -> resolveEnding(ended, BackupStatus.CANCELLED, reason,
                        0L), Context.retryDelay(++storeFailures));
            }
            answer.completeExceptionally(StoreCalls.unavailable(((outcome instanceof Outcome.Failed f) ? f.cause()
                    : ((Outcome.Unknown) outcome).cause())));
            return;
        }
        answer.complete(null);
    }

    /**
     * Someone else ended the build (a cancel, recovery, an instance deletion) or the record is gone: stop
     * local work. The lock and the copy are the obligations of whoever wrote the ending.
     */
    void endedElsewhere(BackupRecord last) {
        if (phase == Phase.DONE) {
            return;
        }
        if (pendingEnding != null && last != null && RecordWriter.landed(last, pendingEnding)) {
            ended(last); // our own ending, whose outcome was in doubt, is what the record shows
            return;
        }
        boolean stopCopy = copyUnconfirmed && (last == null || last.status() != BackupStatus.COMPLETED);
        phase = Phase.DONE;
        stopTimers();
        c.local.release(this);
        if (stopCopy) {
            BackupRecord target = last != null ? last : record;
            Scheduling.contain("Stopping the copy of backup " + id, () -> c.s.engine().stopCopy(target));
        }
        LOG.info("Backup {} was ended elsewhere ({}); local work stopped", id, last == null ? "record gone" : last.status());
        Completions.settle(completion, id, last);
    }

    @Override
    public void leaseNotRenewed() {
        if (phase == Phase.DONE || phase == Phase.FINISHING) {
            return;
        }
        stopRequested = false;
        try {
            Optional<BackupRecord> fresh = c.writer.find(id);
            if (fresh.isEmpty() || !stillMine(fresh.get())) {
                endedElsewhere(fresh.orElse(null));
            } else {
                record = fresh.get();
            }
        } catch (RuntimeException e) {
            LOG.debug("Backup {}: could not check its lease: {}", id, LogSafe.describe(e));
        }
    }

    /**
     * This replica's own lease lapsed (renewals did not get through): other replicas call the work dead.
     *
     * @return whether this call failed the build (its {@code FAILED} landed); {@code false} if the build had
     *     ended already (completed, say, by an answer queued before), or its ending is still in doubt
     */
    boolean leaseLapsed() {
        if (phase == Phase.FINISHING) {
            kick(); // its ending is being retried: try again now
            return false;
        }
        if (phase == Phase.DONE) {
            return false;
        }
        finish(BackupStatus.FAILED, new BackupFailure(ErrorCode.INTERRUPTED, "The backup was interrupted: "
                + "this replica could not renew its lease in time."), 0L);
        return phase == Phase.DONE && record.status() == BackupStatus.FAILED;
    }

    @Override
    public void handOver() {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        stopTimers();
        c.local.release(this);
        LOG.info("Backup {}: handed over at shutdown", id);
    }
}
