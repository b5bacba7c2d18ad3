package dev.rdsbackup.jdbc;

import java.sql.SQLException;

/**
 * A database operation of {@link JdbcBackupStore} failed. When the failure happened while committing (for
 * example the connection dropped), the write may or may not have landed: the service re-reads the record
 * to find out.
 */
public class JdbcStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure caused by the driver.
     *
     * @param message what the store was doing
     * @param cause the driver's exception
     */
    public JdbcStoreException(String message, SQLException cause) {
        super(message, cause);
    }

    /**
     * A failure the store found itself (for example a schema that does not match).
     *
     * @param message what is wrong
     */
    public JdbcStoreException(String message) {
        super(message);
    }

    /**
     * The SQLSTATE of the driver's exception.
     *
     * @return the SQLSTATE, or {@code null} when there is none
     */
    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
