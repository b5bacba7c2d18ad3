package dev.rdsbackup.http;

/** What a {@link RequestAuthorizer} decided about one request. */
public enum AuthDecision {
    /** The caller is known and may act on the project. */
    ALLOW,
    /** The caller could not be identified (no or bad credentials): answered 401. */
    UNAUTHENTICATED,
    /** The caller is known but may not act on the project: answered 403. */
    FORBIDDEN
}
