package dev.rdsbackup.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.jdbc.JdbcBackupStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL for the JDBC store's benchmarks: a HikariCP pool on it, and a data source over the
 * pool that counts the statements executed through it, so a benchmark can print statements per backup.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final HikariDataSource pool;
    private final AtomicLong statements = new AtomicLong();
    private final DataSource counting;

    EmbeddedDatabase(int poolSize) {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        pool = new HikariDataSource(config);
        counting = new CountingDataSource();
    }

    /** Connections that count every statement they execute. */
    DataSource dataSource() {
        return counting;
    }

    /** Statements executed through {@link #dataSource()} so far. */
    long statements() {
        return statements.get();
    }

    /** A store on a table of its own, created here. */
    JdbcBackupStore store(String table) {
        return JdbcBackupStore.builder(counting).table(table).createSchema(true).build();
    }

    /** Runs SQL outside the count (loading data, VACUUM). */
    void execute(String... sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("setting up the benchmark's data failed", e);
        }
    }

    @Override
    public void close() {
        pool.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object counted(Object target, Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                statements.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof java.sql.PreparedStatement prepared) {
                return counted(prepared, java.sql.PreparedStatement.class);
            }
            if (result instanceof Statement plain && !(result instanceof java.sql.PreparedStatement)) {
                return counted(plain, Statement.class);
            }
            return result;
        });
    }

    private final class CountingDataSource implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return (Connection) counted(pool.getConnection(), Connection.class);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return (Connection) counted(pool.getConnection(username, password), Connection.class);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return pool.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return pool.isWrapperFor(iface);
        }
    }
}
