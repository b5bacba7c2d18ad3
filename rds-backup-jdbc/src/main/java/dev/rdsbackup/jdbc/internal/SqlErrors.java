package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.jdbc.SqlDialect;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Classifies the driver's exceptions: transient aborts, and unique violations with the constraint that fired. */
public final class SqlErrors {

    /** PostgreSQL: {@code duplicate key value violates unique constraint "name"} (the key's values follow). */
    private static final Pattern POSTGRESQL_CONSTRAINT = Pattern.compile("constraint \"([A-Za-z0-9_]+)\"");
    /** MySQL/MariaDB: {@code Duplicate entry '...' for key 'name'} (MySQL 8: {@code 'table.name'}); the values come first. */
    private static final Pattern MYSQL_KEY = Pattern.compile("for key '(?:[A-Za-z0-9_]+\\.)?([A-Za-z0-9_]+)'");

    private static final int MYSQL_DEADLOCK = 1213;
    private static final int MYSQL_DUPLICATE_KEY = 1062;

    private SqlErrors() {
    }

    /**
     * Whether the database aborted the transaction so that running it again may succeed: serialization failure
     * (SQLSTATE 40001), deadlock (PostgreSQL 40P01, MySQL error 1213).
     *
     * @param e the exception
     * @return {@code true} for a transient abort
     */
    public static boolean isTransient(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if ("40001".equals(state) || "40P01".equals(state) || s.getErrorCode() == MYSQL_DEADLOCK) {
                return true;
            }
            if (s.getCause() instanceof SQLException cause && cause != s && isTransient(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the exception is a unique-constraint violation.
     *
     * @param e the exception
     * @return {@code true} for a duplicate key
     */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState())
                || ("23000".equals(e.getSQLState()) && e.getErrorCode() == MYSQL_DUPLICATE_KEY)
                || e.getErrorCode() == MYSQL_DUPLICATE_KEY;
    }

    /**
     * The name of the constraint a unique violation names, read from where each database puts it in its
     * message: PostgreSQL names the constraint before the key's values, MySQL and MariaDB after them, so the
     * values (which may hold any text a client sent) are never mistaken for the name.
     *
     * @param dialect the database
     * @param e a unique violation
     * @return the constraint or index name, or empty if the message names none
     */
    public static Optional<String> violatedConstraint(SqlDialect dialect, SQLException e) {
        String message = e.getMessage();
        if (message == null) {
            return Optional.empty();
        }
        if (dialect == SqlDialect.POSTGRESQL) {
            Matcher m = POSTGRESQL_CONSTRAINT.matcher(message);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
        Matcher m = MYSQL_KEY.matcher(message);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return Optional.ofNullable(last);
    }
}
