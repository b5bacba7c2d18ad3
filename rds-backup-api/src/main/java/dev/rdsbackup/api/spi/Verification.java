package dev.rdsbackup.api.spi;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.error.ErrorCode;
import java.util.Objects;

/**
 * The answer of {@link InstanceProbe#verify}: either the instance is verified and the backup lock is held
 * (the caller must release it), or one of the reasons verification fails, after which the service
 * retries under its retry policy.
 */
public sealed interface Verification
        permits Verification.Verified, Verification.DdlInProgress, Verification.LockNotObtained,
                Verification.Unreachable {

    /**
     * The connection works, no DDL is running and the backup lock is held.
     *
     * @param lock the held lock; the service releases it exactly once
     * @param tableCount the table count seen while holding the lock (checked again against the ceiling)
     */
    record Verified(BackupLock lock, long tableCount) implements Verification {
        /** Checks the lock and the table count. */
        public Verified {
            Objects.requireNonNull(lock, "lock");
            if (tableCount < 0) {
                throw new IllegalArgumentException("tableCount must be 0 or more, was " + tableCount);
            }
        }
    }

    /**
     * DDL operations are running on the instance.
     *
     * @param detail what was seen, for operators (trusted text from the probe)
     */
    record DdlInProgress(String detail) implements Verification {
        /** Checks the detail. */
        public DdlInProgress {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The backup lock could not be obtained (for example it timed out behind a long transaction).
     *
     * @param detail what was seen, for operators (trusted text from the probe)
     */
    record LockNotObtained(String detail) implements Verification {
        /** Checks the detail. */
        public LockNotObtained {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The instance could not be reached.
     *
     * @param detail what was seen, for operators (trusted text from the probe)
     */
    record Unreachable(String detail) implements Verification {
        /** Checks the detail. */
        public Unreachable {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** {@code true} for {@link Verified}. */
    default boolean isVerified() {
        return this instanceof Verified;
    }

    /** The failure reason this answer stands for, or {@code null} for {@link Verified}. */
    default ErrorCode failureCode() {
        if (this instanceof DdlInProgress) {
            return ErrorCode.VERIFICATION_DDL_RUNNING;
        } else if (this instanceof LockNotObtained) {
            return ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED;
        } else if (this instanceof Unreachable) {
            return ErrorCode.VERIFICATION_UNREACHABLE;
        }
        return null;
    }
}
