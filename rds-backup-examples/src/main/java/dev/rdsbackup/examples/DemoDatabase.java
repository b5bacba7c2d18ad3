package dev.rdsbackup.examples;

import dev.rdsbackup.jdbc.JdbcBackupStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The demo's {@code --database} option: backup records in PostgreSQL through {@link JdbcBackupStore}, in an
 * embedded server started for the run or in the database a JDBC URL names. The demo's own table,
 * {@value #TABLE}, is created if missing and emptied first, so every run starts from no records and prints the
 * same ids.
 */
public final class DemoDatabase implements AutoCloseable {

    /** The table the demo keeps its records in. */
    public static final String TABLE = "rds_backup_demo";

    private final EmbeddedPostgres embedded;
    private final JdbcBackupStore store;
    private final String description;

    private DemoDatabase(EmbeddedPostgres embedded, DataSource dataSource, String where) {
        this.embedded = embedded;
        this.store = JdbcBackupStore.builder(dataSource).table(TABLE).createSchema(true).build();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE);
            s.executeUpdate("DELETE FROM " + TABLE + "_counts"); // rows deleted by hand are uncounted by hand
            this.description = c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion() + " store (" + where + "), in-memory probe and engine";
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the demo's table " + TABLE, e);
        }
    }

    /**
     * Opens the database an option names.
     *
     * @param database {@code embedded}, or a {@code jdbc:postgresql:} URL (user and password as its parameters)
     * @return the database, to close after the run
     */
    public static DemoDatabase open(String database) {
        if (database.equals("embedded")) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                return new DemoDatabase(postgres, postgres.getPostgresDatabase(), "embedded");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database);
        return new DemoDatabase(null, dataSource, "JDBC URL");
    }

    /** The store on the demo's table. */
    public JdbcBackupStore store() {
        return store;
    }

    /** What the run's first line says about where records live. */
    public String description() {
        return description;
    }

    /** Stops the embedded server, if one was started. */
    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            }
        }
    }
}
