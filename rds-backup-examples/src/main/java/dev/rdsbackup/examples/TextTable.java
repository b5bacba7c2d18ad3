package dev.rdsbackup.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An aligned plain-text table, plus the demo's few formatting helpers (sizes, times, durations). Columns whose
 * header starts with {@code >} are right-aligned (the {@code >} is not printed).
 */
public final class TextTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * A table with these columns.
     *
     * @param headers the column headers; a leading {@code >} right-aligns the column
     */
    public TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column; {@code null} prints as {@code -}
     * @return this table
     */
    public TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : c.toString()).toArray(String[]::new));
        return this;
    }

    /**
     * Prints the table, each line indented.
     *
     * @param out where to print
     * @param indent put before every line
     */
    public void print(PrintStream out, String indent) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        printLine(out, indent, headers, width);
        String[] rule = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        printLine(out, indent, rule, width);
        rows.forEach(row -> printLine(out, indent, row, width));
        if (rows.isEmpty()) {
            out.println(indent + "(none)");
        }
    }

    private void printLine(PrintStream out, String indent, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            line.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
            if (i < cells.length - 1) {
                line.append("  ");
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /**
     * A byte count for people: {@code 512 B}, {@code 1.5 MiB}, {@code 20.0 GiB}.
     *
     * @param bytes 0 or more
     * @return the size
     */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * The time of day of a virtual instant, {@code HH:mm:ss} UTC.
     *
     * @param instant the instant
     * @return the time
     */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * Date and time of an instant, {@code yyyy-MM-dd HH:mm:ss} UTC, or {@code null} for none.
     *
     * @param instant the instant, or {@code null}
     * @return the text, or {@code null}
     */
    public static String dateTime(Instant instant) {
        return instant == null ? null : DATE_TIME.format(instant);
    }

    /**
     * A duration for people: {@code 27.4s}, {@code 4m05s}, {@code 1h02m03s}.
     *
     * @param d the duration
     * @return the text
     */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
    }
}
