package dev.rdsbackup.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL databases {@link JdbcBackupStore} speaks to. Each has its schema in the jar, as a Flyway-style
 * migration under {@link #migrationLocation()}.
 */
public enum SqlDialect {
    /**
     * PostgreSQL 12 or newer. Uses nothing that PostgreSQL-compatible distributed databases (CockroachDB,
     * YugabyteDB) lack: no advisory locks, no PostgreSQL-only column types.
     */
    POSTGRESQL("postgresql"),
    /** MySQL 8.0 or newer and MariaDB 10.5 or newer, with InnoDB tables. */
    MYSQL("mysql");

    private final String folder;

    SqlDialect(String folder) {
        this.folder = folder;
    }

    /**
     * Where the dialect's migrations are in the jar, in the form Flyway's {@code locations} setting takes,
     * for example {@code classpath:dev/rdsbackup/jdbc/postgresql}.
     *
     * @return the location of the folder holding {@code V1__create_rds_backup.sql} and {@code V2__count_backups.sql}
     */
    public String migrationLocation() {
        return "classpath:" + resourceFolder();
    }

    /**
     * The class path folder of the dialect's migrations, without a leading slash.
     *
     * @return for example {@code dev/rdsbackup/jdbc/postgresql}
     */
    public String resourceFolder() {
        return "dev/rdsbackup/jdbc/" + folder;
    }

    /**
     * The dialect of a database, from its product name.
     *
     * @param metaData the connection's metadata
     * @return the dialect
     * @throws SQLException if the metadata cannot be read
     * @throws IllegalArgumentException if the database is none this store supports
     */
    public static SqlDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        if (lower.contains("mysql") || lower.contains("mariadb")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("no SQL dialect for the database product '" + product
                + "': give one of " + java.util.Arrays.toString(values()) + " to the builder");
    }
}
