package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.error.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of fields on the wire. The service names violations after its Java properties ({@code instanceId},
 * {@code windowEnd}, {@code backupIds[3]}); a client of the HTTP API knows them as JSON fields, query parameters
 * and headers ({@code instance_id}, {@code end_time}, {@code backup_ids[3]}), so violations are renamed before
 * they are answered.
 */
public final class WireFields {

    /** The idempotency extension's header. */
    public static final String CLIENT_TOKEN_HEADER = "X-Client-Token";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("projectId", "project_id"),
            Map.entry("instanceId", "instance_id"),
            Map.entry("backupId", "backup_id"),
            Map.entry("backupIds", "backup_ids"),
            Map.entry("clientToken", CLIENT_TOKEN_HEADER),
            Map.entry("windowStart", "begin_time"),
            Map.entry("windowEnd", "end_time"),
            Map.entry("statuses", "status"),
            Map.entry("type", "backup_type"),
            Map.entry("request", "body"));
    private static final Pattern INDEXED = Pattern.compile("(databases|backupIds)\\[(\\d{1,3})](.*)");
    private static final Set<String> QUERY_PARAMETERS = Set.of("instance_id", "backup_id", "backup_type", "status",
            "offset", "limit", "begin_time", "end_time");

    private WireFields() {
    }

    /**
     * Renames the fields of violations from the service's names to the wire's.
     *
     * @param violations as the service reported them
     * @return the same violations with wire names
     */
    public static List<Violation> toWire(List<Violation> violations) {
        return violations.stream().map(v -> new Violation(toWire(v.field()), v.rule(), v.message())).toList();
    }

    /**
     * Renames one field.
     *
     * @param field the service's property path
     * @return the wire's name
     */
    public static String toWire(String field) {
        String named = NAMES.get(field);
        if (named != null) {
            return named;
        }
        Matcher m = INDEXED.matcher(field);
        if (m.matches()) {
            return m.group(1).equals("databases")
                    ? "databases[" + m.group(2) + "].name"
                    : "backup_ids[" + m.group(2) + "]";
        }
        return field;
    }

    /**
     * A query parameter's name, safe to put in a message: the name itself when the API knows it, otherwise
     * {@code query} (an unknown name is untrusted text and is never echoed).
     *
     * @param name the decoded parameter name
     * @return the name to report
     */
    public static String safeName(String name) {
        return QUERY_PARAMETERS.contains(name) ? name : "query";
    }
}
