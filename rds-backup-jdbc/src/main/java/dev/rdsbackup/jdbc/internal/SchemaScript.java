package dev.rdsbackup.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped migrations of a dialect ({@code V1__create_rds_backup.sql}, the records' table, and
 * {@code V2__count_backups.sql}, the counts table), for the default table name as they are, or rewritten for
 * another table and schema.
 */
public final class SchemaScript {

    /** The first migration: the records' table, its constraints and indexes. */
    public static final String V1 = "V1__create_rds_backup.sql";
    /** The second migration: the counts table, filled from the records already stored. */
    public static final String V2 = "V2__count_backups.sql";
    /** Every migration, in order. */
    public static final List<String> MIGRATIONS = List.of(V1, V2);

    /**
     * {@code rds_backup} as the table, {@code rds_backup_counts} as the counts table, or
     * {@code rds_backup_<suffix>} as a constraint or index name.
     */
    private static final Pattern NAMES = Pattern.compile("\\b" + TableName.DEFAULT_TABLE + "(_[a-z_]+)?\\b");

    private SchemaScript() {
    }

    /**
     * Every migration for a table, in order, as one script.
     *
     * @param table the table
     * @return the SQL script, statements ending with {@code ;} at the end of a line
     */
    public static String forTable(TableName table) {
        StringBuilder script = new StringBuilder();
        for (String migration : MIGRATIONS) {
            script.append(forTable(table, migration));
        }
        return script.toString();
    }

    /**
     * One migration for a table.
     *
     * @param table the table
     * @param migration one of {@link #MIGRATIONS}
     * @return the SQL script, statements ending with {@code ;} at the end of a line
     */
    public static String forTable(TableName table, String migration) {
        String original = read(table.dialect().resourceFolder() + "/" + migration);
        StringBuilder out = new StringBuilder();
        Matcher m = NAMES.matcher(original);
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = table.qualified();
            } else if (m.group(1).equals(TableName.COUNTS_SUFFIX)) {
                replacement = table.countsQualified();
            } else {
                replacement = table.quote(table.table() + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The statements of a script, without comment lines.
     *
     * @param script a script from {@link #forTable}
     * @return its statements, without the closing semicolons
     */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        return statements;
    }

    private static String read(String resource) {
        try (InputStream in = SchemaScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks its schema file " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the schema file " + resource, e);
        }
    }
}
