package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.Verification;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backup lock recorded before the copy starts, the copy itself, its progress and its stall deadline. */
abstract class RunCopy extends RunEnding {
    private static final Logger LOG = LoggerFactory.getLogger(RunCopy.class);

    RunCopy(Context context, Obligations obligations, Estimator estimator, BackupRecord created,
            InstanceInfo instance) {
        super(context, obligations, estimator, created, instance);
    }

    /** A verification attempt failed: retry or fail the build. */
    abstract void attemptFailed(ErrorCode reason, String detail);

    // ------------------------------------------------------------------------------------------------
    // The backup lock: recorded before the copy starts

    void verified(Verification.Verified verified) {
        BackupLock lock = verified.lock();
        if (verified.tableCount() > c.s.maxTableCount()) {
            obligations.releaseUnrecorded(id, lock);
            finish(BackupStatus.FAILED, new BackupFailure(ErrorCode.TOO_MANY_TABLES, "DB instance "
                    + instance.instanceId() + " has " + verified.tableCount() + " tables; a backup supports at most "
                    + c.s.maxTableCount() + "."), 0L);
            return;
        }
        phase = Phase.STARTING;
        tableCount = verified.tableCount();
        recordLock(lock, attempt, 0);
    }

    void recordLock(BackupLock lock, int made, int round) {
        Outcome outcome = c.writer.write(record.toBuilder().attempts(made).lock(lock).build(), record.version());
        if (outcome instanceof Outcome.Written w) {
            record = w.record();
            lockRecorded();
        } else if (outcome instanceof Outcome.Failed) {
            obligations.releaseUnrecorded(id, lock);
            phase = Phase.VERIFYING;
            attemptFailed(ErrorCode.SERVICE_UNAVAILABLE, "the backup lock could not be recorded");
        } else if (outcome instanceof Outcome.Conflict conflict) {
            lockWriteSettled(lock, made, conflict.current(), round);
        } else {
            // The lock may or may not be recorded. It is released now, so the instance is never left locked
            // by a lock nobody may know of; if the record does hold it, the record is cleared once it can be
            // read (release first, then clear), and the copy never starts under it.
            LOG.warn("Backup {}: whether its backup lock was recorded is unknown; released, reading again later",
                    id);
            obligations.releaseUnrecorded(id, lock);
            later("a check of the backup lock's write", () -> resolveLockWrite(lock, made),
                    Context.retryDelay(++storeFailures));
        }
    }

    void resolveLockWrite(BackupLock lock, int made) {
        if (phase == Phase.DONE) {
            return;
        }
        Optional<BackupRecord> fresh;
        try {
            fresh = c.writer.find(id);
        } catch (RuntimeException e) {
            later("a check of the backup lock's write", () -> resolveLockWrite(lock, made),
                    Context.retryDelay(++storeFailures));
            return;
        }
        storeFailures = 0;
        if (fresh.isEmpty() || !stillMine(fresh.get())) {
            endedElsewhere(fresh.orElse(null)); // if it holds the lock, whoever ended it releases it again
            return;
        }
        record = fresh.get();
        if (lock.equals(record.lock()) && !update(r -> r.toBuilder().lock(null).build())) {
            return;
        }
        phase = Phase.VERIFYING;
        attemptFailed(ErrorCode.SERVICE_UNAVAILABLE, "the store failed while the backup lock was recorded");
    }

    /**
     * The lock's write did not land as written (the version had moved, or the store threw and the record
     * read back shows something else): the record tells whether the run may write again (a lease renewal
     * moved it) or was ended elsewhere.
     */
    void lockWriteSettled(BackupLock lock, int made, Optional<BackupRecord> fresh, int round) {
        storeFailures = 0;
        boolean mine = fresh.isPresent() && stillMine(fresh.get());
        if (mine && round < Context.MAX_CAS_ROUNDS) {
            record = fresh.get();
            recordLock(lock, made, round + 1);
        } else if (mine) {
            record = fresh.get();
            obligations.releaseUnrecorded(id, lock);
            phase = Phase.VERIFYING;
            attemptFailed(ErrorCode.SERVICE_UNAVAILABLE, "the backup lock could not be recorded");
        } else {
            // Ended elsewhere. If the write did land after all (the store threw after committing), the record
            // shows it: the lock, or this attempt's count, which only this write sets; then whoever ended it
            // owns the lock. Otherwise nobody else knows of the lock.
            boolean landed = fresh.isPresent()
                    && (lock.equals(fresh.get().lock()) || fresh.get().attempts() >= made);
            if (!landed) {
                obligations.releaseUnrecorded(id, lock);
            }
            endedElsewhere(fresh.orElse(null));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Copy

    /** Says, from any thread, that the build was ended elsewhere: the copy must not start now. */
    void stopBeforeNextStep() {
        stopRequested = true;
    }

    /** Tells {@code onCopyStarted}, then, as the next step on the queue, starts the engine. */
    void lockRecorded() {
        copyStart = c.s.clock().instant();
        LOG.info("Backup {}: instance {} verified on attempt {}; copying", id, instance.instanceId(), attempt);
        c.events.copyStarted(record);
        c.events.after(id, this::startEngine);
    }

    void startEngine() {
        if (phase != Phase.STARTING) {
            return;
        }
        if (stopRequested) {
            leaseNotRenewed();
            if (phase != Phase.STARTING) {
                return;
            }
        }
        CopyRequest request = new CopyRequest(id, record.projectId(), record.instanceId(), record.datastore(),
                record.databases(), record.lock(), tableCount, instance.dataSizeBytes());
        CopyJob job;
        CompletionStage<Long> result;
        try {
            job = c.s.engine().startCopy(request, progress -> queue().handOff(() -> onProgress(progress)));
            result = job == null ? null : job.result();
            if (result == null) {
                throw new IllegalStateException("the engine returned no copy job or result");
            }
        } catch (Throwable e) { // NOPMD: an adapter may throw anything
            Obligations.rethrowIfFatal(e);
            phase = Phase.COPYING;
            onCopyResult(null, e);
            return;
        }
        phase = Phase.COPYING;
        lastProgressAt = c.s.clock().instant();
        if (result instanceof CompletableFuture<?> done && done.isDone()) {
            // The engine answered at once: the ending's compare-and-set, next on the queue, confirms the
            // record instead of a read; if an ending written elsewhere wins it, the copy is stopped then.
            copyUnconfirmed = true;
        } else {
            confirmCopyStart();
            if (phase != Phase.COPYING) {
                return;
            }
        }
        AtomicBoolean reported = new AtomicBoolean();
        result.whenComplete((size, e) -> {
            reported.set(true);
            queue().handOff(() -> onCopyResult(size, e));
        });
        // A result that came in is being handed to the queue (refused, it waits for the lease tick's kick): no stall
        // to watch for, and an engine that copies at once costs the host's timer nothing.
        if (!reported.get() && phase == Phase.COPYING && stallTask == null) {
            scheduleStallCheck();
        }
    }

    /**
     * Reads the record once the engine took the copy: an ending written elsewhere before the copy existed
     * stopped nothing, so the copy is stopped here.
     */
    void confirmCopyStart() {
        try {
            Optional<BackupRecord> fresh = c.writer.find(id);
            if (fresh.isPresent() && stillMine(fresh.get())) {
                record = fresh.get();
            } else {
                copyUnconfirmed = true;
                endedElsewhere(fresh.orElse(null));
            }
        } catch (RuntimeException e) {
            copyUnconfirmed = true; // an ending found later stops the copy here too
        }
    }

    void scheduleStallCheck() {
        Duration wait = Duration.between(c.s.clock().instant(), lastProgressAt.plus(c.s.stallTimeout()));
        stallTask = later("the stall check", this::stallCheck, wait.isNegative() ? Duration.ZERO : wait);
    }

    void stallCheck() {
        if (phase != Phase.COPYING) {
            return;
        }
        stallTask = null;
        if (c.s.clock().instant().isBefore(lastProgressAt.plus(c.s.stallTimeout()))) {
            scheduleStallCheck();
            return;
        }
        LOG.warn("Backup {}: the engine reported nothing for {}; failing the copy", id, c.s.stallTimeout());
        finish(BackupStatus.FAILED, new BackupFailure(ErrorCode.ENGINE_FAILED, "The backup engine reported no "
                + "progress for " + c.s.stallTimeout() + "; the copy was stopped."), 0L);
    }

    void onProgress(CopyProgress progress) {
        if (progress == null || phase != Phase.COPYING) {
            return;
        }
        lastProgressAt = c.s.clock().instant();
        BackupProgress next = estimator.update(copyStart, c.s.clock().instant(), progress.bytesCopied(),
                progress.totalBytes(), instance.dataSizeBytes(), tableCount);
        BackupProgress last = record.progress();
        if (last != null && (next.percent() <= last.percent() || next.bytesCopied() < last.bytesCopied())) {
            return;
        }
        update(r -> r.toBuilder().progress(next).build());
    }

    void onCopyResult(Long size, Throwable failure) {
        if (phase != Phase.COPYING) {
            return;
        }
        if (failure == null && size != null && size >= 0) {
            finish(BackupStatus.COMPLETED, null, size);
        } else {
            String why = failure == null ? "the engine reported no size" : LogSafe.describe(failure);
            finish(BackupStatus.FAILED, new BackupFailure(ErrorCode.ENGINE_FAILED,
                    "The backup engine failed while copying data: " + why + "."), 0L);
        }
    }

}
