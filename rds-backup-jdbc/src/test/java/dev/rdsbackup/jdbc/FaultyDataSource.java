package dev.rdsbackup.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections fail the way real drivers do: a commit (an explicit one, or a statement in
 * autocommit mode) that reaches the database and then loses the connection (the write landed, the caller gets
 * SQLSTATE 08006), or a statement the database aborts
 * with a serialization failure (SQLSTATE 40001) or a deadlock (MySQL error 1213, SQLSTATE 40001), rolling the
 * transaction back. Faults come every {@code n}-th call of each kind (a create, a delete, an update, a read, a
 * commit of a transaction that began with one of them), so every kind called {@code n} times or more is faulted.
 */
final class FaultyDataSource implements DataSource {

    /** What goes wrong. */
    enum Fault {
        /**
         * Every n-th commit of a kind (or statement of a kind in autocommit mode: a write, a query that writes,
         * or a read) lands,
         * then the connection drops.
         */
        DROP_AFTER_COMMIT,
        /**
         * Every n-th statement of a kind is aborted as a serialization failure (PostgreSQL) or a deadlock (MySQL).
         */
        SERIALIZATION_FAILURE
    }

    private final DataSource delegate;
    private final Fault fault;
    private final int every;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();
    private volatile boolean armed;

    /**
     * A faulty data source, disarmed until {@link #arm()}.
     *
     * @param delegate the real pool
     * @param fault what goes wrong
     * @param every every how many calls of one kind ({@link #kindOf}) a fault comes, so each kind called at
     *     least that often is certainly faulted
     */
    FaultyDataSource(DataSource delegate, Fault fault, int every) {
        this.delegate = delegate;
        this.fault = fault;
        this.every = every;
    }

    /** Starts injecting faults (a store is usually built on the data source first). */
    void arm() {
        armed = true;
    }

    /** How many faults were injected so far. */
    int injected() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * How many faults followed a kind of write: the statement itself in autocommit mode, or the commit of a
     * transaction whose first write it was.
     *
     * @param write {@code create}, {@code delete} or {@code update}
     * @return the faults
     */
    int injectedAfter(String write) {
        return count(injected, write) + count(injected, "commit of " + write);
    }

    private static int count(Map<String, AtomicInteger> counters, String kind) {
        AtomicInteger counter = counters.get(kind);
        return counter == null ? 0 : counter.get();
    }

    /**
     * What a statement does, from its SQL: create, delete, update (a compare-and-set), renew (leases), count
     * (the counts table alone), read or other.
     */
    static String kindOf(String sql) {
        String head = sql.stripLeading().toUpperCase(Locale.ROOT);
        if (head.startsWith("INSERT") || head.startsWith("WITH CREATED")) {
            return "create";
        }
        if (head.startsWith("DELETE") || head.startsWith("WITH GONE")) {
            return "delete";
        }
        if (head.startsWith("UPDATE")) {
            if (head.contains("_COUNTS")) {
                return "count";
            }
            return head.contains("SET LEASE_EXPIRES_AT") ? "renew" : "update";
        }
        return head.startsWith("SELECT") ? "read" : "other";
    }

    private boolean due(String kind) {
        if (armed && calls.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet() % every == 0) {
            injected.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
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
        String[] firstWrite = new String[1]; // of the transaction open on this connection, if any
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (fault == Fault.DROP_AFTER_COMMIT && method.getName().equals("commit")) {
                        real.commit();
                        String kind = "commit of " + (firstWrite[0] == null ? "read" : firstWrite[0]);
                        firstWrite[0] = null;
                        if (due(kind)) {
                            real.abort(Runnable::run); // the connection is gone; the pool replaces it
                            throw new SQLException("I/O error: connection reset after commit", "08006");
                        }
                        return null;
                    }
                    if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
                        firstWrite[0] = null;
                    }
                    Object result = invoke(real, method, args);
                    if (result instanceof PreparedStatement statement) {
                        return wrap(real, statement, kindOf((String) args[0]), firstWrite);
                    }
                    return result;
                });
    }

    private PreparedStatement wrap(Connection connection, PreparedStatement real, String kind, String[] firstWrite) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    boolean execute = method.getName().startsWith("execute") && (args == null || args.length == 0);
                    if (fault == Fault.DROP_AFTER_COMMIT) {
                        if (execute && connection.getAutoCommit()) {
                            // commits itself (a write, PostgreSQL's delete, a query that writes, or a read)
                            Object result = invoke(real, method, args);
                            if (due(kind)) {
                                connection.abort(Runnable::run);
                                throw new SQLException("I/O error: connection reset after the statement", "08006");
                            }
                            return result;
                        }
                        if (execute && firstWrite[0] == null && !kind.equals("read")) {
                            firstWrite[0] = kind;
                        }
                        return invoke(real, method, args);
                    }
                    if (execute && due(kind)) {
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
