package dev.rdsbackup.http;

import dev.rdsbackup.api.error.ErrorCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which HTTP status and {@code error_code} every refusal gets: one entry for each {@link ErrorCode} of the
 * service and each {@link HttpRefusal} of the HTTP layer. Immutable; {@link #defaults()} is the documented table
 * (README, "Serving the RDS API over HTTP"), and a host changes entries with {@link #toBuilder()}, for instance to
 * use the codes its existing clients already know.
 *
 * <p>The defaults use the codes the public RDS API documents where one exists ({@code DBS.280001} parameter error,
 * {@code DBS.200002} instance not found, {@code DBS.201202} another operation in progress, {@code DBS.201201}
 * name already exists, {@code DBS.201205} backup in progress, {@code DBS.201010} backup not found), and codes of
 * their own in {@code DBS.2900xx} (service refusals) and {@code DBS.2901xx} (HTTP-layer refusals) for the rest.
 * Retryable and non-retryable conditions never share a code, since clients decide to retry by code.
 */
public final class DbsErrorTable {

    private static final DbsErrorTable DEFAULTS = defaultBuilder().build();

    private final Map<ErrorCode, DbsError> codes;
    private final Map<HttpRefusal, DbsError> refusals;

    private DbsErrorTable(Map<ErrorCode, DbsError> codes, Map<HttpRefusal, DbsError> refusals) {
        this.codes = Collections.unmodifiableMap(new EnumMap<>(codes));
        this.refusals = Collections.unmodifiableMap(new EnumMap<>(refusals));
    }

    /** The documented default table. */
    public static DbsErrorTable defaults() {
        return DEFAULTS;
    }

    /** A builder holding this table's entries, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.codes.putAll(codes);
        b.refusals.putAll(refusals);
        return b;
    }

    /**
     * The wire form of a service refusal.
     *
     * @param code the service's error code
     * @return its status and DBS code
     */
    public DbsError of(ErrorCode code) {
        return codes.get(Objects.requireNonNull(code, "code"));
    }

    /**
     * The wire form of an HTTP-layer refusal.
     *
     * @param refusal the refusal
     * @return its status and DBS code
     */
    public DbsError of(HttpRefusal refusal) {
        return refusals.get(Objects.requireNonNull(refusal, "refusal"));
    }

    /** Every service entry, in {@link ErrorCode} order. */
    public Map<ErrorCode, DbsError> serviceEntries() {
        return codes;
    }

    /** Every HTTP-layer entry, in {@link HttpRefusal} order. */
    public Map<HttpRefusal, DbsError> httpEntries() {
        return refusals;
    }

    private static Builder defaultBuilder() {
        Builder b = new Builder();
        b.map(ErrorCode.INVALID_REQUEST, "DBS.280001")
                .map(ErrorCode.INSTANCE_NOT_FOUND, "DBS.200002")
                .map(ErrorCode.INSTANCE_NOT_PRIMARY, "DBS.290001")
                .map(ErrorCode.INSTANCE_BUSY, "DBS.201202")
                .map(ErrorCode.INSTANCE_STATUS_NOT_ALLOWED, "DBS.290002")
                .map(ErrorCode.TOO_MANY_TABLES, "DBS.290003")
                .map(ErrorCode.PARTIAL_BACKUP_NOT_SUPPORTED, "DBS.290004")
                .map(ErrorCode.DATABASE_NOT_FOUND, "DBS.290005")
                .map(ErrorCode.BACKUP_NAME_EXISTS, "DBS.201201")
                .map(ErrorCode.BACKUP_IN_PROGRESS, "DBS.201205")
                .map(ErrorCode.BACKUP_QUOTA_EXCEEDED, "DBS.290006")
                .map(ErrorCode.IDEMPOTENCY_CONFLICT, "DBS.290007")
                .map(ErrorCode.BACKUP_NOT_FOUND, "DBS.201010")
                .map(ErrorCode.BACKUP_STATUS_CONFLICT, "DBS.290008")
                .map(ErrorCode.BACKUP_TYPE_NOT_DELETABLE, "DBS.290009")
                .map(ErrorCode.BACKUP_IN_USE, "DBS.290010")
                .map(ErrorCode.CONCURRENT_MODIFICATION, "DBS.290011")
                .map(ErrorCode.SERVICE_UNAVAILABLE, "DBS.290012")
                .map(ErrorCode.VERIFICATION_DDL_RUNNING, "DBS.290013")
                .map(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED, "DBS.290014")
                .map(ErrorCode.VERIFICATION_UNREACHABLE, "DBS.290015")
                .map(ErrorCode.ENGINE_FAILED, "DBS.290016")
                .map(ErrorCode.INTERRUPTED, "DBS.290017")
                .map(ErrorCode.INSTANCE_DELETED, "DBS.290018")
                .map(ErrorCode.ARTIFACT_DELETE_FAILED, "DBS.290019");
        b.map(HttpRefusal.UNAUTHENTICATED, "DBS.290101")
                .map(HttpRefusal.FORBIDDEN, "DBS.290102")
                .map(HttpRefusal.ROUTE_NOT_FOUND, "DBS.290103")
                .map(HttpRefusal.METHOD_NOT_ALLOWED, "DBS.290104")
                .map(HttpRefusal.PAYLOAD_TOO_LARGE, "DBS.290105")
                .map(HttpRefusal.URI_TOO_LONG, "DBS.290106")
                .map(HttpRefusal.UNSUPPORTED_MEDIA_TYPE, "DBS.290107")
                .map(HttpRefusal.SHUTTING_DOWN, "DBS.290108")
                .map(HttpRefusal.INTERNAL_ERROR, "DBS.290109");
        return b;
    }

    /** Builds a {@link DbsErrorTable}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private final Map<ErrorCode, DbsError> codes = new EnumMap<>(ErrorCode.class);
        private final Map<HttpRefusal, DbsError> refusals = new EnumMap<>(HttpRefusal.class);

        private Builder() {
        }

        /**
         * Sets the wire form of a service refusal.
         *
         * @param code the service's error code
         * @param error its status and DBS code
         * @return this builder
         */
        public Builder map(ErrorCode code, DbsError error) {
            codes.put(Objects.requireNonNull(code, "code"), Objects.requireNonNull(error, "error"));
            return this;
        }

        /**
         * Sets the wire form of an HTTP-layer refusal.
         *
         * @param refusal the refusal
         * @param error its status and DBS code
         * @return this builder
         */
        public Builder map(HttpRefusal refusal, DbsError error) {
            refusals.put(Objects.requireNonNull(refusal, "refusal"), Objects.requireNonNull(error, "error"));
            return this;
        }

        private Builder map(ErrorCode code, String dbsCode) {
            return map(code, new DbsError(code.httpStatus(), dbsCode));
        }

        private Builder map(HttpRefusal refusal, String dbsCode) {
            return map(refusal, new DbsError(refusal.defaultStatus(), dbsCode));
        }

        /**
         * Builds the table.
         *
         * @return the table
         * @throws IllegalStateException naming an entry that is missing
         */
        public DbsErrorTable build() {
            for (ErrorCode code : ErrorCode.values()) {
                if (!codes.containsKey(code)) {
                    throw new IllegalStateException("no entry for error code " + code);
                }
            }
            for (HttpRefusal refusal : HttpRefusal.values()) {
                if (!refusals.containsKey(refusal)) {
                    throw new IllegalStateException("no entry for HTTP refusal " + refusal);
                }
            }
            return new DbsErrorTable(codes, refusals);
        }
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }
}
