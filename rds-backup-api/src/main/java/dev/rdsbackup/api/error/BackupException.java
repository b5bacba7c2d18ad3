package dev.rdsbackup.api.error;

import java.util.Objects;

/**
 * The one unchecked exception of rds-backup: every refusal carries a stable {@link ErrorCode}, an
 * HTTP-like status, a retryable flag and a message a person can act on.
 *
 * <p>Messages never contain untrusted text such as backup descriptions; they may contain ids and names,
 * which the constraints restrict to safe characters.
 */
public class BackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code the stable error code
     * @param message what went wrong and what the caller can do, for a person
     */
    public BackupException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param code the stable error code
     * @param message what went wrong and what the caller can do, for a person
     * @param cause the underlying failure, or {@code null}
     */
    public BackupException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Creates an exception, choosing whether to record a stack trace. Refusals of bad input are expected
     * answers, not faults, and are cheaper without one.
     *
     * @param code the stable error code
     * @param message what went wrong and what the caller can do, for a person
     * @param cause the underlying failure, or {@code null}
     * @param writableStackTrace whether to record the stack trace
     */
    protected BackupException(ErrorCode code, String message, Throwable cause, boolean writableStackTrace) {
        super(Objects.requireNonNull(message, "message"), cause, true, writableStackTrace);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** The HTTP-like status class of the code. */
    public int httpStatus() {
        return code.httpStatus();
    }

    /** Whether retrying the same call later may succeed. */
    public boolean retryable() {
        return code.retryable();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code + " " + code.httpStatus() + "]: " + getMessage();
    }
}
