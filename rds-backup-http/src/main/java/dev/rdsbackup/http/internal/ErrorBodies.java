package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.http.DbsError;
import dev.rdsbackup.http.DbsErrorTable;
import dev.rdsbackup.http.HttpApiResponse;
import dev.rdsbackup.http.HttpRefusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every answer's envelope: {@code Content-Type: application/json} and {@code X-Request-Id} on all of them, and the
 * {@code {"error_code", "error_msg"}} body of a refusal from the {@link DbsErrorTable}. Messages are the service's
 * (which never contain untrusted text) or fixed summaries; a validation refusal lists every violation with the
 * field's wire name and the rule: {@code Parameter error: name: must be ... (BackupName); limit: ... (Max)}.
 */
public final class ErrorBodies {

    /** The JSON content type of every answer. */
    public static final String JSON = "application/json";

    private final DbsErrorTable table;
    private final JsonAnswers json;

    /**
     * Creates the envelope.
     *
     * @param table the error table
     * @param json the JSON writer
     */
    public ErrorBodies(DbsErrorTable table, JsonAnswers json) {
        this.table = table;
        this.json = json;
    }

    /** The error table. */
    public DbsErrorTable table() {
        return table;
    }

    /**
     * A successful answer with a JSON body.
     *
     * @param status the status
     * @param body the body
     * @param requestId the request id
     * @return the answer
     */
    public HttpApiResponse ok(int status, byte[] body, String requestId) {
        return new HttpApiResponse(status, headers(requestId), body);
    }

    /**
     * The answer to an HTTP-layer refusal.
     *
     * @param refusal the refusal
     * @param requestId the request id
     * @return the answer
     */
    public HttpApiResponse refusal(HttpRefusal refusal, String requestId) {
        DbsError e = table.of(refusal);
        return new HttpApiResponse(e.httpStatus(), headers(requestId), json.error(e.code(), capitalized(refusal.summary())));
    }

    /**
     * The 405 answer, with {@code Allow}.
     *
     * @param allowed the methods the route accepts
     * @param requestId the request id
     * @return the answer
     */
    public HttpApiResponse methodNotAllowed(List<String> allowed, String requestId) {
        HttpApiResponse r = refusal(HttpRefusal.METHOD_NOT_ALLOWED, requestId);
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put("Allow", String.join(", ", allowed));
        return new HttpApiResponse(r.status(), h, r.body());
    }

    /**
     * The answer to a service refusal.
     *
     * @param e the refusal
     * @param requestId the request id
     * @return the answer
     */
    public HttpApiResponse exception(BackupException e, String requestId) {
        if (e instanceof WireValidationException w) {
            return invalid(w.violations(), requestId);
        }
        if (e instanceof BackupValidationException v) {
            return invalid(WireFields.toWire(v.violations()), requestId);
        }
        DbsError d = table.of(e.code());
        return new HttpApiResponse(d.httpStatus(), headers(requestId), json.error(d.code(), e.getMessage()));
    }

    /**
     * The answer to invalid input, listing every violation.
     *
     * @param wireViolations the violations, already named as on the wire
     * @param requestId the request id
     * @return the 400 answer (or what the table says for {@code INVALID_REQUEST})
     */
    public HttpApiResponse invalid(List<Violation> wireViolations, String requestId) {
        DbsError d = table.of(ErrorCode.INVALID_REQUEST);
        return new HttpApiResponse(d.httpStatus(), headers(requestId), json.error(d.code(), describe(wireViolations)));
    }

    /**
     * The message of a validation refusal.
     *
     * @param violations the violations, named as on the wire
     * @return {@code Parameter error: field: message (Rule); ...}
     */
    public static String describe(List<Violation> violations) {
        StringBuilder b = new StringBuilder(32 + 80 * violations.size()).append("Parameter error: ");
        for (int i = 0; i < violations.size(); i++) {
            Violation v = violations.get(i);
            b.append(i == 0 ? "" : "; ").append(v.field()).append(": ").append(v.message())
                    .append(" (").append(v.rule()).append(')');
        }
        return b.toString();
    }

    private static Map<String, String> headers(String requestId) {
        Map<String, String> h = new LinkedHashMap<>(4);
        h.put("Content-Type", JSON);
        h.put("X-Request-Id", requestId);
        return h;
    }

    private static String capitalized(String summary) {
        return Character.toUpperCase(summary.charAt(0)) + summary.substring(1) + ".";
    }
}
