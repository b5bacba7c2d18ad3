package dev.rdsbackup.http.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;

/**
 * The API's time format, {@code yyyy-MM-dd'T'HH:mm:ssZ} with a numeric offset ({@code 2026-11-26T09:48:54+0000}):
 * written in UTC at whole seconds, read with any offset from {@code -1800} to {@code +1800}.
 */
public final class WireTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final int LENGTH = "2026-11-26T09:48:54+0000".length();

    private WireTime() {
    }

    /**
     * Formats an instant in UTC, cut to the second (towards the past).
     *
     * @param instant the instant, between years 0 and 9999
     * @return for example {@code 2026-11-26T09:48:54+0000}
     */
    public static String format(Instant instant) {
        // By hand: a DateTimeFormatter costs about a microsecond a call, and a page of backups writes up to 200.
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        char[] c = "0000-00-00T00:00:00+0000".toCharArray();
        digits(c, 0, t.getYear(), 4);
        digits(c, 5, t.getMonthValue(), 2);
        digits(c, 8, t.getDayOfMonth(), 2);
        digits(c, 11, t.getHour(), 2);
        digits(c, 14, t.getMinute(), 2);
        digits(c, 17, t.getSecond(), 2);
        return new String(c);
    }

    private static void digits(char[] into, int at, int value, int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /**
     * Parses a time of the API's format.
     *
     * @param text the text, untrusted
     * @return the instant, or empty if the text is not exactly of the format (or not a real date)
     */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text, FORMAT).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
