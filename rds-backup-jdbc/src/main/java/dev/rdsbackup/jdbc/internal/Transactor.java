package dev.rdsbackup.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in a transaction of its own on a connection of the pool, whatever the pool's autocommit
 * setting: the transaction is committed or rolled back before the connection goes back, and the connection's
 * autocommit is restored. Serialization failures and deadlocks, after which the database rolled the
 * transaction back, are retried a bounded number of times.
 */
public final class Transactor {

    private static final Logger LOG = LoggerFactory.getLogger(Transactor.class);

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Does the work.
         *
         * @param connection the connection, with autocommit off
         * @return the result
         * @throws SQLException from the driver
         */
        T apply(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final int maxAttempts;

    /**
     * A transactor.
     *
     * @param dataSource where connections come from
     * @param maxAttempts how many times to run work whose transaction the database aborted, 1 or more
     */
    public Transactor(DataSource dataSource, int maxAttempts) {
        this.dataSource = dataSource;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Runs work in a transaction and commits it, retrying serialization failures and deadlocks.
     *
     * @param what what the work does, for the log
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws SQLException the last failure: not transient, or transient every time
     */
    public <T> T inTransaction(String what, Work<T> work) throws SQLException {
        return withRetries(what, work, false);
    }

    /**
     * Runs work that is one statement (or one statement and a read that may see a later state): on a
     * connection with autocommit on, the statement commits itself, saving the round trips of a transaction;
     * with autocommit off it runs in a transaction as {@link #inTransaction} does.
     *
     * @param what what the work does, for the log
     * @param work the work
     * @param <T> the result type
     * @return the work's result
     * @throws SQLException the last failure: not transient, or transient every time
     */
    public <T> T singleStatement(String what, Work<T> work) throws SQLException {
        return withRetries(what, work, true);
    }

    private <T> T withRetries(String what, Work<T> work, boolean single) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(work, single);
            } catch (SQLException e) {
                if (!SqlErrors.isTransient(e) || attempt >= maxAttempts) {
                    throw e;
                }
                LOG.debug("{}: transaction aborted by the database (SQLSTATE {}), attempt {} of {}",
                        what, e.getSQLState(), attempt, maxAttempts);
            }
        }
    }

    private <T> T once(Work<T> work, boolean single) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit && single) {
                return work.apply(connection);
            }
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(connection, e);
                throw e;
            } finally {
                if (autoCommit) {
                    restoreAutoCommit(connection);
                }
            }
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            LOG.debug("could not restore autocommit on a connection (SQLSTATE {}); the pool discards it",
                    e.getSQLState());
        }
    }
}
