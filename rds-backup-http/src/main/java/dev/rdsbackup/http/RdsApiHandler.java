package dev.rdsbackup.http;

import com.fasterxml.jackson.core.JsonFactory;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.http.internal.BackupEndpoints;
import dev.rdsbackup.http.internal.ErrorBodies;
import dev.rdsbackup.http.internal.JsonAnswers;
import dev.rdsbackup.http.internal.JsonBodies;
import dev.rdsbackup.http.internal.MediaTypes;
import dev.rdsbackup.http.internal.RequestIds;
import dev.rdsbackup.http.internal.Route;
import dev.rdsbackup.http.internal.Router;
import dev.rdsbackup.http.internal.WireValidationException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public RDS API v3 for manual backups, framework-neutral: an {@link HttpApiRequest} in, an
 * {@link HttpApiResponse} out, for any server binding ({@link RdsBackupHttpServer} on the JDK's own server, or a
 * host's framework). Thread-safe; {@link #handle} never throws.
 *
 * <p>In order, a request is checked for: path and query length (414), a route (404), the method (405 with
 * {@code Allow}), well-formed ids in the path (400), the {@link RequestAuthorizer} (401, 403), the content type of
 * bodies (415), then its parameters and body (400, every violation listed), and finally the
 * {@link BackupService} is called; its refusals are answered from the {@link DbsErrorTable}. Every answer is JSON
 * and carries a fresh {@code X-Request-Id}. The log gets the route template, the status, the DBS code and the
 * request id at DEBUG (500s at WARN), never the path, query, headers or body as sent.
 */
public final class RdsApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RdsApiHandler.class);
    private static final Set<String> LOGGABLE_METHODS =
            Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT");

    private final RequestAuthorizer authorizer;
    private final HttpLimits limits;
    private final Supplier<String> requestIds;
    private final ErrorBodies answers;
    private final BackupEndpoints endpoints;

    private RdsApiHandler(Builder b) {
        this.authorizer = b.authorizer;
        this.limits = b.limits;
        this.requestIds = b.requestIds;
        JsonAnswers json = new JsonAnswers(new JsonFactory());
        this.answers = new ErrorBodies(b.errorTable, json);
        this.endpoints = new BackupEndpoints(b.service, new JsonBodies(b.limits), json, answers);
    }

    /** A new builder; {@link Builder#service} and {@link Builder#authorizer} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The limits this handler applies. */
    public HttpLimits limits() {
        return limits;
    }

    /**
     * Answers one request.
     *
     * @param request the request, untrusted
     * @return the answer, never {@code null}
     */
    public HttpApiResponse handle(HttpApiRequest request) {
        String requestId = requestIds.get();
        Route route = null;
        HttpApiResponse response;
        try {
            Optional<Router.Match> match = Router.match(request.rawPath());
            route = match.map(Router.Match::route).orElse(null);
            response = dispatch(request, match, requestId);
        } catch (BackupException e) {
            response = answers.exception(e, requestId);
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed with {}; answered 500, request {}", loggable(request.method()),
                    route == null ? "-" : route.template(), e.getClass().getName(), requestId);
            response = answers.refusal(HttpRefusal.INTERNAL_ERROR, requestId);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}, request {}", loggable(request.method()),
                    route == null ? "(no route)" : route.template(), response.status(), requestId);
        }
        return response;
    }

    /**
     * The answer to a refusal the server binding makes itself before it has a whole request, such as a body over
     * the limit ({@link HttpRefusal#PAYLOAD_TOO_LARGE}), with the same envelope as every other answer.
     *
     * @param refusal the refusal
     * @return the answer
     */
    public HttpApiResponse refuse(HttpRefusal refusal) {
        Objects.requireNonNull(refusal, "refusal");
        String requestId = requestIds.get();
        LOG.debug("refused before routing: {}, request {}", refusal, requestId);
        return answers.refusal(refusal, requestId);
    }

    private HttpApiResponse dispatch(HttpApiRequest request, Optional<Router.Match> found, String requestId) {
        if (request.rawPath().length() > limits.maxPathChars()
                || request.rawQuery() != null && request.rawQuery().length() > limits.maxQueryChars()) {
            return answers.refusal(HttpRefusal.URI_TOO_LONG, requestId);
        }
        if (found.isEmpty()) {
            return answers.refusal(HttpRefusal.ROUTE_NOT_FOUND, requestId);
        }
        Router.Match match = found.get();
        String method = request.method();
        if (!match.route().accepts(method)) {
            return answers.methodNotAllowed(match.route().methods(), requestId);
        }
        if (request.body().length > limits.maxBodyBytes()) {
            return answers.refusal(HttpRefusal.PAYLOAD_TOO_LARGE, requestId);
        }
        if (!match.violations().isEmpty()) {
            throw new WireValidationException(match.violations());
        }
        AuthDecision decision = authorizer.authorize(request, match.projectId());
        if (decision != AuthDecision.ALLOW) {
            return answers.refusal(decision == AuthDecision.FORBIDDEN ? HttpRefusal.FORBIDDEN
                    : HttpRefusal.UNAUTHENTICATED, requestId);
        }
        boolean hasJsonBody = "POST".equals(method) && match.route() != Route.CANCEL;
        if (hasJsonBody && !MediaTypes.isJson(request.headerValues("Content-Type"))) {
            return answers.refusal(HttpRefusal.UNSUPPORTED_MEDIA_TYPE, requestId);
        }
        String project = match.projectId();
        return switch (match.route()) {
            case BACKUPS -> "GET".equals(method)
                    ? endpoints.list(project, request, requestId)
                    : endpoints.create(project, request, requestId);
            case BATCH_DELETE -> endpoints.batchDelete(project, request, requestId);
            case BACKUP -> "GET".equals(method)
                    ? endpoints.get(project, match.backupId(), requestId)
                    : endpoints.delete(project, match.backupId(), requestId);
            case CANCEL -> endpoints.cancel(project, match.backupId(), requestId);
        };
    }

    private static String loggable(String method) {
        return LOGGABLE_METHODS.contains(method) ? method : "(other method)";
    }

    /** Builds an {@link RdsApiHandler}. Not thread-safe. */
    public static final class Builder {
        private BackupService service;
        private RequestAuthorizer authorizer;
        private DbsErrorTable errorTable = DbsErrorTable.defaults();
        private HttpLimits limits = HttpLimits.defaults();
        private Supplier<String> requestIds = RequestIds::random;

        private Builder() {
        }

        /**
         * Sets the backup service to serve (required).
         *
         * @param service the service
         * @return this builder
         */
        public Builder service(BackupService service) {
            this.service = Objects.requireNonNull(service, "service");
            return this;
        }

        /**
         * Sets the authentication and authorization hook (required).
         *
         * @param authorizer decides whether a caller may act on the project in the path
         * @return this builder
         */
        public Builder authorizer(RequestAuthorizer authorizer) {
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
            return this;
        }

        /**
         * Sets the error table; {@link DbsErrorTable#defaults()} unless set.
         *
         * @param errorTable the table
         * @return this builder
         */
        public Builder errorTable(DbsErrorTable errorTable) {
            this.errorTable = Objects.requireNonNull(errorTable, "errorTable");
            return this;
        }

        /**
         * Sets the input limits; {@link HttpLimits#defaults()} unless set.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets where request ids come from; 32 random hex digits unless set. The supplier must be thread-safe and
         * return header-safe text (letters, digits, {@code -}).
         *
         * @param requestIds the source of ids
         * @return this builder
         */
        public Builder requestIds(Supplier<String> requestIds) {
            this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
            return this;
        }

        /**
         * Builds the handler.
         *
         * @return the handler
         * @throws IllegalStateException naming a required setting that is missing
         */
        public RdsApiHandler build() {
            if (service == null) {
                throw new IllegalStateException("service is required");
            }
            if (authorizer == null) {
                throw new IllegalStateException("authorizer is required: the project in the path is never trusted "
                        + "on its own (RdsBackupHttpServer offers insecureLocalOnlyNoAuthentication() for a local demo)");
            }
            return new RdsApiHandler(this);
        }
    }
}
