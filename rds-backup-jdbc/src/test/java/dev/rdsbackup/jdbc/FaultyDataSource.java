package dev.rdsbackup.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections fail the way real drivers do: a commit (an explicit one, or a statement in
 * autocommit mode) that reaches the database and then loses the connection (the write landed, the caller gets
 * SQLSTATE 08006), or a statement the database aborts
 * with a serialization failure (SQLSTATE 40001) or a deadlock (MySQL error 1213, SQLSTATE 40001), rolling the
 * transaction back. Faults come every {@code n}-th commit or statement, so a run is reproducible.
 */
final class FaultyDataSource implements DataSource {

    /** What goes wrong. */
    enum Fault {
        /**
         * Every n-th commit (or statement in autocommit mode: a write, a query that writes, or a read) lands,
         * then the connection drops.
         */
        DROP_AFTER_COMMIT,
        /** Every n-th statement is aborted as a serialization failure (PostgreSQL) or a deadlock (MySQL). */
        SERIALIZATION_FAILURE
    }

    private final DataSource delegate;
    private final Fault fault;
    private final int every;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    FaultyDataSource(DataSource delegate, Fault fault, int every) {
        this.delegate = delegate;
        this.fault = fault;
        this.every = every;
    }

    /** How many faults were injected so far. */
    int injected() {
        return injected.get();
    }

    private boolean due() {
        if (calls.incrementAndGet() % every == 0) {
            injected.incrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (fault == Fault.DROP_AFTER_COMMIT && method.getName().equals("commit")) {
                        real.commit();
                        if (due()) {
                            real.abort(Runnable::run); // the connection is gone; the pool replaces it
                            throw new SQLException("I/O error: connection reset after commit", "08006");
                        }
                        return null;
                    }
                    Object result = invoke(real, method, args);
                    if (result instanceof PreparedStatement statement) {
                        return wrap(real, statement);
                    }
                    return result;
                });
    }

    private PreparedStatement wrap(Connection connection, PreparedStatement real) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    boolean execute = method.getName().startsWith("execute") && (args == null || args.length == 0);
                    if (fault == Fault.DROP_AFTER_COMMIT) {
                        if (execute && connection.getAutoCommit()) {
                            // commits itself (a write, or PostgreSQL's delete, a query that writes)
                            Object result = invoke(real, method, args);
                            if (due()) {
                                connection.abort(Runnable::run);
                                throw new SQLException("I/O error: connection reset after the statement", "08006");
                            }
                            return result;
                        }
                        return invoke(real, method, args);
                    }
                    if (execute && due()) {
                        throw real.getConnection().getMetaData().getDatabaseProductName().contains("Postgre")
                                ? new SQLException("could not serialize access due to concurrent update", "40001")
                                : new SQLException("Deadlock found when trying to get lock", "40001", 1213);
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
