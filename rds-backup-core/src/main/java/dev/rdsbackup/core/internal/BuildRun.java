package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build, as a state machine run on its backup's serial queue: verification with retries, the backup
 * lock recorded, the copy with its stall deadline, and the ending. Adapter answers and timers arrive as
 * events on the queue, so the run needs no lock and never works on an adapter's thread. Endings written by
 * others (a cancel, recovery) reach it through {@link #endedElsewhere}; its own ending hands the lock and
 * the copy to {@link Obligations}. The run reads in layers, each in its own file: {@link RunState} (state,
 * timers, writes while building), {@link RunEnding} (the ending), {@link RunCopy} (the lock and the copy),
 * and this class (verification and the entry points).
 */
final class BuildRun extends RunCopy {
    private static final Logger LOG = LoggerFactory.getLogger(BuildRun.class);

    BuildRun(Context context, Obligations obligations, Estimator estimator, BackupRecord created,
            InstanceInfo instance) {
        super(context, obligations, estimator, created, instance);
    }

    @Override
    public String id() {
        return id;
    }

    boolean isDone() {
        return phase == Phase.DONE;
    }

    /** Starts the first verification attempt, on the queue. */
    void start() {
        queue().submit(this::attempt);
    }

    // ------------------------------------------------------------------------------------------------
    // Verification

    void attempt() {
        // Only the first attempt (queued at creation) or a retry that is due: not once the run is ending.
        if (phase != Phase.WAITING && !(phase == Phase.VERIFYING && attempt == 0)) {
            return;
        }
        phase = Phase.VERIFYING;
        retryTask = null;
        int made = ++attempt;
        if (made == 1) {
            firstAttemptAt = c.s.clock().instant();
        }
        LOG.debug("Backup {}: verification attempt {}", id, made);
        CompletionStage<Verification> answer;
        try {
            answer = c.s.probe().verify(instance.projectId(), instance.instanceId());
            if (answer == null) {
                throw new IllegalStateException("the probe returned no verification stage");
            }
        } catch (Throwable e) { // NOPMD: an adapter may throw anything
            Obligations.rethrowIfFatal(e);
            onVerification(made, null, e);
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        answer.whenComplete((v, e) -> {
            answered.set(true);
            handOver(made, v, e);
        });
        // An answer that came in is being handed to the queue (or, refused, releases its lock and waits for the lease
        // tick's kick): there is nothing left to wait for, and a probe that answers at once costs the timer nothing.
        if (!answered.get() && phase == Phase.VERIFYING && attempt == made) {
            timeoutTask = later("the verification deadline", () -> attemptTimedOut(made), c.s.verificationTimeout());
        }
    }

    /**
     * Queues a verification's answer. A lock must not wait on a queue the scheduler refused to drain (it
     * may wait for long, or for good if this replica has no other work): it is released right here, unless
     * the queue got to the answer first, and the answer then counts as a failed attempt.
     */
    private void handOver(int made, Verification verification, Throwable failure) {
        AtomicBoolean taken = new AtomicBoolean();
        boolean handed = queue().handOff(() -> {
            if (taken.compareAndSet(false, true)) {
                onVerification(made, verification, failure);
            } else {
                onVerification(made, null, new IllegalStateException(
                        "the scheduler refused the answer; its backup lock was released"));
            }
        });
        if (!handed && verification instanceof Verification.Verified verified && taken.compareAndSet(false, true)) {
            LOG.warn("Backup {}: the scheduler refused a verification answer; releasing its backup lock", id);
            obligations.releaseUnrecorded(id, verified.lock());
        }
    }

    void attemptTimedOut(int made) {
        if (phase == Phase.VERIFYING && attempt == made) {
            timeoutTask = null;
            attemptFailed(ErrorCode.VERIFICATION_UNREACHABLE, "no answer within " + c.s.verificationTimeout());
        }
    }

    void onVerification(int made, Verification verification, Throwable failure) {
        if (phase != Phase.VERIFYING || attempt != made) {
            if (verification instanceof Verification.Verified late) {
                LOG.info("Backup {}: a backup lock arrived after attempt {} ended; releasing it", id, made);
                obligations.releaseUnrecorded(id, late.lock());
            }
            return;
        }
        Scheduling.cancel(timeoutTask);
        timeoutTask = null;
        if (failure != null || verification == null) {
            String why = failure == null ? "the probe answered nothing" : LogSafe.describe(failure);
            attemptFailed(ErrorCode.VERIFICATION_UNREACHABLE, "the probe failed: " + why);
        } else if (verification instanceof Verification.Verified verified) {
            verified(verified);
        } else {
            attemptFailed(verification.failureCode(), detailOf(verification));
        }
    }

    static String detailOf(Verification verification) {
        if (verification instanceof Verification.DdlInProgress ddl) {
            return LogSafe.escape(ddl.detail());
        } else if (verification instanceof Verification.LockNotObtained lock) {
            return LogSafe.escape(lock.detail());
        } else if (verification instanceof Verification.Unreachable unreachable) {
            return LogSafe.escape(unreachable.detail());
        }
        return "";
    }

    @Override
    void attemptFailed(ErrorCode reason, String detail) {
        int made = attempt;
        Duration delay;
        synchronized (c.s.random()) {
            delay = c.s.retryPolicy().delayAfter(made, c.s.random());
        }
        Instant now = c.s.clock().instant();
        Duration elapsedAtNext = Duration.between(firstAttemptAt, now).plus(delay);
        if (!c.s.retryPolicy().allowsAnotherAttempt(made, elapsedAtNext)) {
            String message = "Verification failed after " + made + (made == 1 ? " attempt: " : " attempts: ")
                    + reason.summary() + " (" + detail + ").";
            finish(BackupStatus.FAILED, new BackupFailure(reason, message), 0L);
            return;
        }
        if (!update(r -> r.toBuilder().attempts(Math.max(r.attempts(), made)).build())) {
            return;
        }
        phase = Phase.WAITING;
        retryTask = later("a verification retry", this::attempt, delay);
        LOG.info("Backup {}: verification attempt {} failed ({}: {}); retrying in {}", id, made, reason, detail, delay);
        c.events.verificationRetry(record, reason, delay);
    }

}
