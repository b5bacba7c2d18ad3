package dev.rdsbackup.api.error;

import java.util.List;

/**
 * A request broke one or more rules ({@link ErrorCode#INVALID_REQUEST}, 400). Every violation is reported
 * at once, field by field, so a client can fix them all in one go. Being an expected answer to bad input,
 * not a fault, it carries no stack trace.
 */
public class BackupValidationException extends BackupException {
    private static final long serialVersionUID = 1L;

    private static final String SUMMARY = "The request is invalid";

    private final transient List<Violation> violations;
    private transient volatile String message;

    /**
     * Creates the exception.
     *
     * @param violations every broken rule, at least one
     */
    public BackupValidationException(List<Violation> violations) {
        // Invalid input is an expected answer, not a fault: no stack trace is recorded.
        super(ErrorCode.INVALID_REQUEST, requireSome(violations), null, false);
        this.violations = List.copyOf(violations);
    }

    private static String requireSome(List<Violation> violations) {
        if (violations == null || violations.isEmpty()) {
            throw new IllegalArgumentException("violations must not be empty");
        }
        return SUMMARY;
    }

    /** Lists every violation: {@code The request is invalid: name: must be ... (BackupName); ...}. */
    @Override
    public String getMessage() {
        String m = message;
        if (m == null) {
            m = describe(violations);
            message = m;
        }
        return m;
    }

    private static String describe(List<Violation> violations) {
        StringBuilder message = new StringBuilder(32 + 96 * violations.size()).append(SUMMARY).append(": ");
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) {
                message.append("; ");
            }
            Violation v = violations.get(i);
            message.append(v.field()).append(": ").append(v.message()).append(" (").append(v.rule()).append(')');
        }
        return message.toString();
    }

    /** Every broken rule, in a stable order (by field, then rule). */
    public List<Violation> violations() {
        return violations;
    }
}
