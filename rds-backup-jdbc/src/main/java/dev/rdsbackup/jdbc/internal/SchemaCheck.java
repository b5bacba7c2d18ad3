package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks, through the driver's metadata, that the backup table has every column and index the store needs, and
 * that the counts table beside it exists with its columns and primary key.
 */
public final class SchemaCheck {

    private static final List<String> COUNTS_COLUMNS = List.of("project_id", "instance_id", "backups");

    private SchemaCheck() {
    }

    /**
     * What is missing from the table.
     *
     * @param connection a connection
     * @param table the table
     * @return empty when nothing is; otherwise one sentence per missing kind ("no table ...", "missing columns ...")
     * @throws SQLException from the driver
     */
    public static List<String> problems(Connection connection, TableName table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = catalog(connection, table);
        String schema = schema(connection, table);
        Set<String> columns = columns(meta, catalog, schema, table.table());
        List<String> problems = new ArrayList<>();
        if (columns.isEmpty()) {
            problems.add("there is no table " + table);
            return problems;
        }
        List<String> required = new ArrayList<>(RecordRows.ALL);
        if (table.dialect() == SqlDialect.MYSQL) {
            required.add("building_instance_id");
        }
        List<String> missingColumns = required.stream().filter(c -> !columns.contains(c)).toList();
        if (!missingColumns.isEmpty()) {
            problems.add("table " + table + " lacks the columns " + missingColumns);
        }
        Set<String> indexes = new LinkedHashSet<>();
        try (ResultSet rows = meta.getIndexInfo(catalog, schema, table.table(), false, true)) {
            while (rows.next()) {
                String name = rows.getString("INDEX_NAME");
                if (name != null) {
                    indexes.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> missingIndexes = Constraints.INDEXES.stream().map(table::constraint)
                .filter(name -> !indexes.contains(name)).toList();
        if (!missingIndexes.isEmpty()) {
            problems.add("table " + table + " lacks the indexes " + missingIndexes);
        }
        List<String> key = primaryKey(meta, catalog, schema, table.table());
        if (!key.equals(List.of("id"))) {
            problems.add("table " + table + " must have the primary key (id), has " + key);
        }
        countsProblems(meta, catalog, schema, table).ifPresent(problems::add);
        return problems;
    }

    /**
     * Whether the records stored are still to be counted: the counts table does not exist, or it is empty while
     * the records' table is not (a count that failed after MySQL had committed the new table).
     *
     * @param connection a connection
     * @param table the backup table, which exists
     * @return {@code true} if the second migration should run
     * @throws SQLException from the driver
     */
    public static boolean countsMissing(Connection connection, TableName table) throws SQLException {
        if (columns(connection.getMetaData(), catalog(connection, table), schema(connection, table),
                table.counts()).isEmpty()) {
            return true;
        }
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery("SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM " + table.countsQualified()
                        + " LIMIT 1) c), (SELECT COUNT(*) FROM (SELECT 1 FROM " + table.qualified() + " LIMIT 1) r)")) {
            rows.next();
            return rows.getInt(1) == 0 && rows.getInt(2) > 0;
        }
    }

    private static String catalog(Connection connection, TableName table) throws SQLException {
        if (table.dialect() != SqlDialect.MYSQL) {
            return null;
        }
        return table.schema() != null ? table.schema() : connection.getCatalog();
    }

    private static String schema(Connection connection, TableName table) throws SQLException {
        if (table.dialect() == SqlDialect.MYSQL) {
            return null;
        }
        return table.schema() != null ? table.schema() : connection.getSchema();
    }

    private static Optional<String> countsProblems(DatabaseMetaData meta, String catalog, String schema,
            TableName table) throws SQLException {
        String counts = table.schema() == null ? table.counts() : table.schema() + "." + table.counts();
        Set<String> columns = columns(meta, catalog, schema, table.counts());
        if (columns.isEmpty()) {
            return Optional.of("there is no table " + counts + " (the backups of each instance, counted)");
        }
        List<String> missing = COUNTS_COLUMNS.stream().filter(c -> !columns.contains(c)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("table " + counts + " lacks the columns " + missing);
        }
        List<String> key = primaryKey(meta, catalog, schema, table.counts());
        if (!key.equals(List.of("project_id", "instance_id"))) {
            return Optional.of("table " + counts + " must have the primary key (project_id, instance_id), has " + key);
        }
        return Optional.empty();
    }

    private static Set<String> columns(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        String escape = meta.getSearchStringEscape();
        String tablePattern = escape == null ? table : table.replace("_", escape + "_");
        String schemaPattern = schema == null || escape == null ? schema : schema.replace("_", escape + "_");
        try (ResultSet rows = meta.getColumns(catalog, schemaPattern, tablePattern, "%")) {
            while (rows.next()) {
                if (table.equalsIgnoreCase(rows.getString("TABLE_NAME"))) {
                    columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return columns;
    }

    /** The primary key's columns in key order (the driver lists them by column name). */
    private static List<String> primaryKey(DatabaseMetaData meta, String catalog, String schema, String table)
            throws SQLException {
        Map<Short, String> key = new TreeMap<>();
        try (ResultSet rows = meta.getPrimaryKeys(catalog, schema, table)) {
            while (rows.next()) {
                key.put(rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(key.values());
    }
}
