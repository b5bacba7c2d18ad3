package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The query of {@code GET /v3/{project_id}/backups}, read with the API's rules: {@code offset} 0 or more
 * (default 0), {@code limit} 1 to 100 (default 100), {@code begin_time} and {@code end_time} together in the API's
 * time format with the end not before the begin, {@code backup_type} one of {@code auto}, {@code manual},
 * {@code fragment}, {@code incremental}, {@code status} one of the wire statuses. {@code instance_id} is
 * optional here (without it the listing covers the whole project). The window includes both ends at the second:
 * a backup is in it when {@code begin_time <= its begin time < end_time + 1 s}.
 *
 * @param instanceId the instance filter, or {@code null}
 * @param backupId the backup filter, or {@code null}
 * @param type the type filter, or {@code null} for all
 * @param statuses the statuses selected, empty for all
 * @param windowStart the first instant of the window, or {@code null}
 * @param windowEnd the instant after the window, or {@code null}
 * @param offset records to skip
 * @param limit the largest page
 */
public record ListParams(String instanceId, String backupId, WireValues.TypeFilter type, Set<BackupStatus> statuses,
        Instant windowStart, Instant windowEnd, int offset, int limit) {

    private static final String TIME_MESSAGE = "must be a time such as 2026-11-26T09:48:54+0000";

    /** Copies the statuses. */
    public ListParams {
        statuses = Set.copyOf(statuses);
    }

    /**
     * Reads the parameters.
     *
     * @param q the decoded query
     * @param violations where problems are added
     * @return the parameters, or empty when there are violations
     */
    public static Optional<ListParams> parse(QueryParams q, List<Violation> violations) {
        int before = violations.size();
        int offset = integer(q.get("offset"), "offset", 0, Integer.MAX_VALUE, 0, violations);
        int limit = integer(q.get("limit"), "limit", 1, BackupQuery.MAX_LIMIT, BackupQuery.DEFAULT_LIMIT, violations);
        WireValues.TypeFilter type = null;
        String rawType = q.get("backup_type");
        if (rawType != null) {
            type = WireValues.TypeFilter.parse(rawType).orElse(null);
            if (type == null) {
                violations.add(new Violation("backup_type", "OneOf", "must be auto, manual, fragment or incremental"));
            }
        }
        Set<BackupStatus> statuses = Set.of();
        String rawStatus = q.get("status");
        if (rawStatus != null) {
            statuses = WireValues.statusFilter(rawStatus).orElse(null);
            if (statuses == null) {
                statuses = Set.of();
                violations.add(new Violation("status", "OneOf", "must be BUILDING, COMPLETED, FAILED or DELETING"));
            }
        }
        Instant start = time(q.get("begin_time"), "begin_time", violations);
        Instant end = time(q.get("end_time"), "end_time", violations);
        String rawBegin = q.get("begin_time");
        String rawEnd = q.get("end_time");
        if (rawBegin != null && rawEnd == null) {
            violations.add(new Violation("end_time", "Together", "must be given together with begin_time"));
        } else if (rawBegin == null && rawEnd != null) {
            violations.add(new Violation("begin_time", "Together", "must be given together with end_time"));
        } else if (start != null && end != null && end.isBefore(start)) {
            violations.add(new Violation("end_time", "NotBefore", "must not be before begin_time"));
        }
        if (q.get("instance_id") != null) {
            Router.check(violations, "instance_id", q.get("instance_id"));
        }
        if (q.get("backup_id") != null) {
            Router.check(violations, "backup_id", q.get("backup_id"));
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        Instant windowEnd = end == null ? null : end.plus(Duration.ofSeconds(1));
        return Optional.of(new ListParams(q.get("instance_id"), q.get("backup_id"), type, statuses, start, windowEnd,
                offset, limit));
    }

    /**
     * Whether a backup found by id passes the other filters.
     *
     * @param b the backup
     * @return {@code true} if it belongs in the listing
     */
    public boolean matches(BackupRecord b) {
        return (instanceId == null || instanceId.equals(b.instanceId()))
                && (type == null || type.backupType() == b.type())
                && (statuses.isEmpty() || statuses.contains(b.status()))
                && (windowStart == null || !b.beginTime().isBefore(windowStart))
                && (windowEnd == null || b.beginTime().isBefore(windowEnd));
    }

    private static int integer(String raw, String field, int min, int max, int absent, List<Violation> violations) {
        if (raw == null) {
            return absent;
        }
        if (raw.length() <= 10 && raw.matches("\\d+")) {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return (int) value;
            }
        }
        violations.add(new Violation(field, "Range",
                "must be a whole number from " + min + (max == Integer.MAX_VALUE ? " up" : " to " + max)));
        return absent;
    }

    private static Instant time(String raw, String field, List<Violation> violations) {
        if (raw == null) {
            return null;
        }
        Optional<Instant> t = WireTime.parse(raw);
        if (t.isEmpty()) {
            violations.add(new Violation(field, "TimeFormat", TIME_MESSAGE));
            return null;
        }
        return t.get();
    }
}
