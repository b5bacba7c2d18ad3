package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.constraints.ResourceId;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks of the ids callers pass. */
final class Ids {
    private static final Pattern RESOURCE_ID = Pattern.compile(ResourceId.REGEXP);

    private Ids() {
    }

    static boolean valid(String id) {
        return id != null && RESOURCE_ID.matcher(id).matches();
    }

    static void check(List<Violation> violations, String field, String value) {
        if (value == null) {
            violations.add(new Violation(field, "NotNull", "must not be null"));
        } else if (!RESOURCE_ID.matcher(value).matches()) {
            violations.add(new Violation(field, "ResourceId", "must be 1 to 64 ASCII letters, digits, '-' and '_'"));
        }
    }

    /** Throws a validation exception unless both are valid ids. */
    static void require(String firstField, String first, String secondField, String second) {
        List<Violation> violations = new ArrayList<>(2);
        check(violations, firstField, first);
        check(violations, secondField, second);
        if (!violations.isEmpty()) {
            throw new BackupValidationException(violations);
        }
    }
}
