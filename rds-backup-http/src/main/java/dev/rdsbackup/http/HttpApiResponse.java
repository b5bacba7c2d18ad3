package dev.rdsbackup.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of the {@link RdsApiHandler}, for the host's server binding to send as it is.
 *
 * @param status the HTTP status code
 * @param headers the answer headers, at least {@code Content-Type} and {@code X-Request-Id}
 * @param body the answer body; empty for a body-less answer (a delete)
 */
public record HttpApiResponse(int status, Map<String, String> headers, byte[] body) {

    /** Checks the status range and nulls, and copies the headers in order. */
    public HttpApiResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599, was " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * A header of the answer.
     *
     * @param name the name, exactly as the handler set it (for example {@code X-Request-Id})
     * @return the value, or {@code null}
     */
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String toString() {
        return "HttpApiResponse[status=" + status + ", headers=" + headers.keySet() + ", body=" + body.length
                + " bytes]";
    }
}
