package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.jdbc.SqlDialect;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated, quoted name of the backup table and of its constraints. Only lowercase ASCII letters,
 * digits and underscores are accepted, so no text given by a caller ever reaches SQL unchecked, and the
 * name means the same quoted or not.
 *
 * @param dialect how to quote
 * @param schema the schema (MySQL: the database), or {@code null} for the connection's own
 * @param table the table
 */
public record TableName(SqlDialect dialect, String schema, String table) {

    /** The default table name, the one the shipped migration files create. */
    public static final String DEFAULT_TABLE = "rds_backup";

    /** What the counts table's name adds to the backup table's. */
    public static final String COUNTS_SUFFIX = "_counts";

    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** Checks both names against the identifier grammar. */
    public TableName {
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(table, "table");
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("table must be 1 to 48 lowercase ASCII letters, digits or underscores,"
                    + " starting with a letter");
        }
        if (schema != null && !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be 1 to 63 lowercase ASCII letters, digits or underscores,"
                    + " starting with a letter");
        }
    }

    /**
     * An identifier quoted for the dialect.
     *
     * @param identifier a validated identifier
     * @return the quoted identifier
     */
    public String quote(String identifier) {
        return dialect == SqlDialect.MYSQL ? "`" + identifier + "`" : "\"" + identifier + "\"";
    }

    /** The quoted, schema-qualified table name, for SQL text. */
    public String qualified() {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /**
     * The quoted, schema-qualified name of the table that counts each instance's backups, for SQL text.
     *
     * @return for example {@code "control"."rds_backup_counts"}
     */
    public String countsQualified() {
        return schema == null ? quote(counts()) : quote(schema) + "." + quote(counts());
    }

    /** The unquoted name of the table that counts each instance's backups, for example {@code rds_backup_counts}. */
    public String counts() {
        return table + COUNTS_SUFFIX;
    }

    /**
     * The name of one of the table's constraints or indexes.
     *
     * @param suffix the part after the table name, for example {@code name_uq}
     * @return for example {@code rds_backup_name_uq}
     */
    public String constraint(String suffix) {
        return table + "_" + suffix;
    }

    /** For messages: the unquoted, qualified name. */
    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}
