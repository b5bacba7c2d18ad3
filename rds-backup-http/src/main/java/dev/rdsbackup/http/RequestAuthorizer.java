package dev.rdsbackup.http;

/**
 * The host's authentication and authorization: decides whether the caller of a request may act on the project
 * named in its path. The host must supply one; the project in the path is never trusted on its own, since every
 * backup call is scoped to it.
 *
 * <p>Called once per request that matched a route, before its body is parsed or the service is called. It gets
 * the whole request, so it can check a signature over the method, path, query, headers and body (the official
 * SDK signs requests with {@code Authorization: SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...}
 * and sends {@code X-Project-Id} and {@code X-Sdk-Date}), a bearer token, or a header a gateway in front of the
 * server has already checked. It must be thread-safe. If it throws, the request is answered 500 and nothing is
 * done (fail closed).
 */
@FunctionalInterface
public interface RequestAuthorizer {

    /**
     * Decides about one request.
     *
     * @param request the request, untrusted
     * @param projectId the project named in the path, already checked to be a well-formed id
     * @return {@link AuthDecision#ALLOW} to go on, otherwise why not
     */
    AuthDecision authorize(HttpApiRequest request, String projectId);
}
