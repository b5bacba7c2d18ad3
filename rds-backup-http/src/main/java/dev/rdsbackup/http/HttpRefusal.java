package dev.rdsbackup.http;

/**
 * Refusals that the HTTP layer makes itself, before the backup service is asked: each maps to an HTTP status and
 * a DBS code in the {@link DbsErrorTable}. Malformed input (bad JSON, wrong types, bad query values) is not here:
 * it is an {@link dev.rdsbackup.api.error.ErrorCode#INVALID_REQUEST}, like every other invalid parameter.
 */
public enum HttpRefusal {
    /** No or bad credentials (401). */
    UNAUTHENTICATED(401, "the request is not authenticated"),
    /** The caller may not act on the project in the path (403). */
    FORBIDDEN(403, "the caller may not act on this project"),
    /** No route has this path (404). */
    ROUTE_NOT_FOUND(404, "no API operation has this path"),
    /** The route exists, the method does not (405, with {@code Allow}). */
    METHOD_NOT_ALLOWED(405, "the path does not accept this method"),
    /** The body is larger than the limit (413). */
    PAYLOAD_TOO_LARGE(413, "the request body is too large"),
    /** The path or query string is longer than the limit (414). */
    URI_TOO_LONG(414, "the request URI is too long"),
    /** The body is not {@code application/json} in UTF-8 (415). */
    UNSUPPORTED_MEDIA_TYPE(415, "the request body must be application/json in UTF-8"),
    /** The server is stopping and takes no new requests (503). */
    SHUTTING_DOWN(503, "the server is shutting down; retry on another replica"),
    /** An unexpected failure in the HTTP layer or the host's authorizer (500). */
    INTERNAL_ERROR(500, "an internal error occurred");

    private final int defaultStatus;
    private final String summary;

    HttpRefusal(int defaultStatus, String summary) {
        this.defaultStatus = defaultStatus;
        this.summary = summary;
    }

    /** The HTTP status of the default table. */
    public int defaultStatus() {
        return defaultStatus;
    }

    /** A one-line, person-readable summary, used as the {@code error_msg}. */
    public String summary() {
        return summary;
    }
}
