package dev.rdsbackup.http;

/**
 * How much of a request the HTTP layer accepts before it refuses it, so hostile input costs little. Immutable;
 * start from {@link #defaults()} and change one limit at a time with the {@code with...} methods.
 *
 * @param maxBodyBytes the largest request body; a larger one is refused with 413 before it is parsed
 * @param maxQueryChars the longest raw query string; a longer one is refused with 414
 * @param maxPathChars the longest raw path; a longer one is refused with 414
 * @param maxJsonDepth the deepest nesting of JSON arrays and objects in a body; deeper is refused with 400
 */
public record HttpLimits(int maxBodyBytes, int maxQueryChars, int maxPathChars, int maxJsonDepth) {

    /** The default body limit: 64 KiB, far above the largest valid request (a batch of 50 ids). */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
    /** The default query limit: 2,048 characters, above every valid listing query. */
    public static final int DEFAULT_MAX_QUERY_CHARS = 2048;
    /** The default path limit: 512 characters. */
    public static final int DEFAULT_MAX_PATH_CHARS = 512;
    /** The default JSON nesting limit: 8 (a valid body nests 3 deep). */
    public static final int DEFAULT_MAX_JSON_DEPTH = 8;

    private static final HttpLimits DEFAULTS = new HttpLimits(
            DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUERY_CHARS, DEFAULT_MAX_PATH_CHARS, DEFAULT_MAX_JSON_DEPTH);

    /** Checks that every limit is at least 1, naming the bad one. */
    public HttpLimits {
        requireAtLeast(maxBodyBytes, 1, "maxBodyBytes");
        requireAtLeast(maxQueryChars, 1, "maxQueryChars");
        requireAtLeast(maxPathChars, 1, "maxPathChars");
        requireAtLeast(maxJsonDepth, 1, "maxJsonDepth");
    }

    private static void requireAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be " + min + " or more, was " + value);
        }
    }

    /** The defaults: 64 KiB bodies, 2,048-character queries, 512-character paths, JSON 8 deep. */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    /**
     * These limits with another body limit.
     *
     * @param bytes 1 or more
     * @return the new limits
     */
    public HttpLimits withMaxBodyBytes(int bytes) {
        return new HttpLimits(bytes, maxQueryChars, maxPathChars, maxJsonDepth);
    }

    /**
     * These limits with another query limit.
     *
     * @param chars 1 or more
     * @return the new limits
     */
    public HttpLimits withMaxQueryChars(int chars) {
        return new HttpLimits(maxBodyBytes, chars, maxPathChars, maxJsonDepth);
    }

    /**
     * These limits with another path limit.
     *
     * @param chars 1 or more
     * @return the new limits
     */
    public HttpLimits withMaxPathChars(int chars) {
        return new HttpLimits(maxBodyBytes, maxQueryChars, chars, maxJsonDepth);
    }

    /**
     * These limits with another JSON nesting limit.
     *
     * @param depth 1 or more
     * @return the new limits
     */
    public HttpLimits withMaxJsonDepth(int depth) {
        return new HttpLimits(maxBodyBytes, maxQueryChars, maxPathChars, depth);
    }
}
