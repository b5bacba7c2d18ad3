package dev.rdsbackup.core.internal;

/**
 * Makes text from outside the library safe to put in a log line or an error message: control and
 * invisible formatting characters, and the characters consoles and HTML treat specially, are escaped as
 * {@code \\u} and four hex digits (a line feed becomes {@code \\u000a}), and long text is cut. Used for
 * adapter messages; descriptions are never logged at all.
 */
public final class LogSafe {
    private static final int MAX_LENGTH = 200;

    private LogSafe() {
    }

    /**
     * Escapes and shortens text.
     *
     * @param text any text, or {@code null}
     * @return a single line of at most about 200 visible characters, or {@code "null"}
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
        int limit = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.SURROGATE && !validSurrogateAt(text, i, limit)
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || "<>&\"'=!\\".indexOf(c) >= 0;
            if (unsafe) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_LENGTH) {
            out.append("...(").append(text.length() - MAX_LENGTH).append(" more chars)");
        }
        return out.toString();
    }

    /** Whether the surrogate at {@code i} is half of a pair that the output keeps whole (both before the cut). */
    private static boolean validSurrogateAt(String text, int i, int limit) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < limit && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /**
     * Describes a throwable safely: its class and escaped message.
     *
     * @param failure the failure
     * @return for example {@code IOException: disk full}
     */
    public static String describe(Throwable failure) {
        Throwable root = unwrap(failure);
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + escape(message));
    }

    /**
     * Strips the wrappers that completion stages add.
     *
     * @param failure a failure, maybe wrapped
     * @return the underlying failure
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
