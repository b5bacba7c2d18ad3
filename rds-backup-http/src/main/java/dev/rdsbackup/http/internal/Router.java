package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.constraints.ResourceId;
import dev.rdsbackup.api.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Matches a raw, still percent-encoded path to a {@link Route}. Ids are read from the raw path and must be
 * {@link ResourceId}s as they stand, so an encoded slash ({@code %2F}), a dot segment ({@code ..}) or any other
 * path character in an id can never reach the service: such a path matches its route with a violation.
 */
public final class Router {

    private static final Pattern ID = Pattern.compile(ResourceId.REGEXP);
    private static final String ID_MESSAGE = "must be 1 to 64 ASCII letters, digits, '-' and '_'";

    private Router() {
    }

    /**
     * A matched path.
     *
     * @param route the route
     * @param projectId the project segment, as sent
     * @param backupId the backup segment, as sent, or {@code null} for routes without one
     * @param violations the segments that are not well-formed ids, empty when both are
     */
    public record Match(Route route, String projectId, String backupId, List<Violation> violations) {
        /** Copies the violations. */
        public Match {
            violations = List.copyOf(violations);
        }
    }

    /**
     * Matches a path.
     *
     * @param rawPath the path as sent
     * @return the match, or empty when no route has this shape
     */
    public static Optional<Match> match(String rawPath) {
        if (!rawPath.startsWith("/v3/")) {
            return Optional.empty();
        }
        String[] s = rawPath.substring(1).split("/", -1);
        if (s.length < 3 || s.length > 5 || !"backups".equals(s[2])) {
            return Optional.empty();
        }
        Route route;
        String backupId = null;
        if (s.length == 3) {
            route = Route.BACKUPS;
        } else if (s.length == 4 && "batch-delete".equals(s[3])) {
            route = Route.BATCH_DELETE;
        } else if (s.length == 4) {
            route = Route.BACKUP;
            backupId = s[3];
        } else if ("cancel".equals(s[4])) {
            route = Route.CANCEL;
            backupId = s[3];
        } else {
            return Optional.empty();
        }
        List<Violation> violations = new ArrayList<>(2);
        check(violations, "project_id", s[1]);
        if (backupId != null) {
            check(violations, "backup_id", backupId);
        }
        return Optional.of(new Match(route, s[1], backupId, violations));
    }

    /**
     * Whether a value is a well-formed id ({@link ResourceId}).
     *
     * @param value the value, untrusted
     * @return {@code true} if it is
     */
    public static boolean isId(String value) {
        return ID.matcher(value).matches();
    }

    /**
     * Adds a violation if a value is not a well-formed id.
     *
     * @param violations where to add it
     * @param field the field's wire name
     * @param value the value, untrusted
     */
    public static void check(List<Violation> violations, String field, String value) {
        if (!isId(value)) {
            violations.add(new Violation(field, "ResourceId", ID_MESSAGE));
        }
    }
}
