package dev.rdsbackup.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP request as the framework-neutral {@link RdsApiHandler} reads it: whatever server a host uses, its
 * binding fills one of these in. Everything in it is untrusted.
 *
 * @param method the request method as sent, such as {@code GET}
 * @param rawPath the path exactly as sent, still percent-encoded, without the query
 * @param rawQuery the query string exactly as sent, without the {@code ?}, or {@code null} when there is none
 * @param headers the request headers; names are matched without regard to case
 * @param body the request body, empty when there is none; the handler never changes it
 */
public record HttpApiRequest(
        String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    private static final byte[] NO_BODY = new byte[0];

    /** Checks required components, copies the headers with lower-case names, and treats a null body as empty. */
    public HttpApiRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(headers, "headers");
        body = body == null ? NO_BODY : body;
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
            }
        });
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the first value, or {@code null} when the header is absent
     */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every value of a header.
     *
     * @param name the header name, in any case
     * @return the values, empty when the header is absent
     */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String toString() {
        // Untrusted text: the path, query, header values and body are never printed.
        return "HttpApiRequest[method=" + method.length() + " chars, path=" + rawPath.length() + " chars, headers="
                + headers.size() + ", body=" + body.length + " bytes]";
    }
}
