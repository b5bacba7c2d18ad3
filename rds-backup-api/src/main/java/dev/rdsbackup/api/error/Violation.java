package dev.rdsbackup.api.error;

import java.util.Objects;

/**
 * One broken rule of a request.
 *
 * @param field the property path, such as {@code name}, {@code databases[2]} or {@code limit}
 * @param rule the rule's stable name, such as {@code BackupName}, {@code NotNull} or {@code Max}
 * @param message what the value must be, for a person; never echoes the rejected value
 */
public record Violation(String field, String rule, String message) {
    /** Checks that no component is null. */
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message + " (" + rule + ")";
    }
}
