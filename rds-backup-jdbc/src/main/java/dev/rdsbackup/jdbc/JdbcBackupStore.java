package dev.rdsbackup.jdbc;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.jdbc.internal.Constraints;
import dev.rdsbackup.jdbc.internal.Leases;
import dev.rdsbackup.jdbc.internal.Listing;
import dev.rdsbackup.jdbc.internal.RecordRows;
import dev.rdsbackup.jdbc.internal.Refusals;
import dev.rdsbackup.jdbc.internal.SchemaCheck;
import dev.rdsbackup.jdbc.internal.SchemaScript;
import dev.rdsbackup.jdbc.internal.SqlErrors;
import dev.rdsbackup.jdbc.internal.Statements;
import dev.rdsbackup.jdbc.internal.TableName;
import dev.rdsbackup.jdbc.internal.Times;
import dev.rdsbackup.jdbc.internal.Transactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BackupStore} in SQL, for PostgreSQL and MySQL/MariaDB, in plain JDBC: one table of records and one
 * that counts each instance's records (for listings' total counts). Every guarantee comes from the database:
 * unique constraints decide {@link #create} (the store then reads which record stopped it, in the order the
 * SPI states), {@code UPDATE ... WHERE version = ?} decides {@link #compareAndSet}, and one statement renews
 * every lease of a replica. Several control-plane replicas may share the tables.
 *
 * <pre>{@code
 * BackupStore store = JdbcBackupStore.builder(dataSource)   // the host's pool
 *         .schema("control_plane")                          // optional
 *         .build();                                         // checks the table, never creates it
 * }</pre>
 *
 * <p>The tables must exist: create them with the migrations shipped in the jar for the dialect
 * ({@link SqlDialect#migrationLocation()}, usable by Flyway as they are), with the script from
 * {@link #schemaSql}, or by asking the builder to ({@link Builder#createSchema(boolean)}).
 *
 * <p>Each operation is committed before it returns, whatever the pool's autocommit setting: an operation of
 * one statement (or a read of a page and its count) runs as such (with autocommit on each statement commits
 * itself, saving the round trips of a transaction). On PostgreSQL a create or a delete is one statement that
 * also counts or uncounts its record; on MySQL/MariaDB each runs in a transaction of its own, as does the
 * chunked lease renewal. Work aborted by a serialization failure or a deadlock is run
 * again, up to {@link Builder#maxAttempts(int)} times. Failures are thrown as {@link JdbcStoreException}.
 */
public final class JdbcBackupStore implements BackupStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcBackupStore.class);

    private final TableName table;
    private final Statements sql;
    private final RecordRows rows;
    private final Listing listing;
    private final Leases leases;
    private final Transactor transactor;
    private final int maxAttempts;

    private JdbcBackupStore(TableName table, Transactor transactor, int maxAttempts) {
        this.table = table;
        this.sql = new Statements(table);
        Times times = new Times(table.dialect());
        this.rows = new RecordRows(times);
        this.listing = new Listing(sql, rows, times, table);
        this.leases = new Leases(table.dialect(), sql, rows, times);
        this.transactor = transactor;
        this.maxAttempts = maxAttempts;
    }

    /**
     * A builder for a store on a data source.
     *
     * @param dataSource the host's pool of connections to the database
     * @return the builder
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The SQL script that creates the table, its constraints and indexes, and the counts table: the shipped
     * migrations ({@code V1__create_rds_backup.sql}, then {@code V2__count_backups.sql}, which also counts the
     * records already stored), with the tables (and their constraint names) renamed when the name is not the
     * default {@code rds_backup}.
     *
     * @param dialect the database
     * @param schema the schema (MySQL: the database), or {@code null} for the connection's own
     * @param table the table name: lowercase letters, digits and underscores, at most 48
     * @return the script; its statements end with {@code ;}
     */
    public static String schemaSql(SqlDialect dialect, String schema, String table) {
        return SchemaScript.forTable(new TableName(dialect, schema, table));
    }

    /** The dialect this store speaks. */
    public SqlDialect dialect() {
        return table.dialect();
    }

    /** The table, schema-qualified when a schema was given, for example {@code control.rds_backup}. */
    public String tableName() {
        return table.toString();
    }

    @Override
    public CreateResult create(BackupRecord record) {
        Objects.requireNonNull(record, "record");
        BackupRecord stored = RecordRows.stored(record).withVersion(0);
        for (int attempt = 1; ; attempt++) {
            try {
                Transactor.Work<Void> insert = c -> {
                    insertOn(c, stored);
                    return null;
                };
                if (dialect() == SqlDialect.POSTGRESQL) {
                    transactor.singleStatement("create", insert); // inserts and counts in one statement
                } else {
                    transactor.inTransaction("create", insert);
                }
                return new CreateResult.Created(stored);
            } catch (SQLException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw failure("create " + stored.id(), e);
                }
                String fired = SqlErrors.violatedConstraint(dialect(), e).orElse("an unnamed constraint");
                if (fired.equals(table.constraint(Constraints.PRIMARY_KEY)) || fired.equalsIgnoreCase("PRIMARY")) {
                    throw new IllegalArgumentException("a record with id " + stored.id() + " is already stored");
                }
                LOG.debug("create of {} stopped by {}", stored.id(), fired);
                Optional<CreateResult> refusal = refusal(stored);
                if (refusal.isPresent()) {
                    return refusal.get();
                }
                if (attempt >= maxAttempts) {
                    throw failure("create " + stored.id() + ": " + fired + " fired " + attempt
                            + " times but the record it protects was gone each time", e);
                }
            }
        }
    }

    private void insertOn(Connection c, BackupRecord stored) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql.insert())) {
            int next = rows.bindFixed(insert, 1, stored);
            next = rows.bindMutable(insert, next, stored);
            insert.setLong(next, 0);
            insert.executeUpdate();
        }
        if (dialect() == SqlDialect.MYSQL) {
            countOn(c, sql.countUp(), stored.projectId(), stored.instanceId());
        }
    }

    private static void countOn(Connection c, String statement, String projectId, String instanceId)
            throws SQLException {
        try (PreparedStatement count = c.prepareStatement(statement)) {
            count.setString(1, projectId);
            count.setString(2, instanceId);
            count.executeUpdate();
        }
    }

    /** After a unique violation: the record that stops {@code record}, checked in the SPI's order. */
    private Optional<CreateResult> refusal(BackupRecord record) {
        List<BackupRecord> conflicts = runSingle("read the conflicts of " + record.id(), c -> {
            try (PreparedStatement select = c.prepareStatement(sql.conflicts())) {
                select.setString(1, record.projectId());
                select.setString(2, record.clientToken());
                select.setString(3, record.instanceId());
                select.setString(4, record.name());
                return rows.readAll(select);
            }
        });
        return Refusals.first(record, conflicts);
    }

    @Override
    public Optional<BackupRecord> find(String backupId) {
        Objects.requireNonNull(backupId, "backupId");
        return runSingle("find " + backupId, c -> findOn(c, backupId));
    }

    private Optional<BackupRecord> findOn(Connection c, String backupId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql.find())) {
            select.setString(1, backupId);
            return rows.readAll(select).stream().findFirst();
        }
    }

    @Override
    public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(clientToken, "clientToken");
        return runSingle("find by client token", c -> {
            try (PreparedStatement select = c.prepareStatement(sql.findByClientToken())) {
                select.setString(1, projectId);
                select.setString(2, clientToken);
                return rows.readAll(select).stream().findFirst();
            }
        });
    }

    @Override
    public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
        Objects.requireNonNull(next, "next");
        BackupRecord stored = RecordRows.stored(next).withVersion(expectedVersion + 1);
        return runSingle("compare-and-set " + next.id(), c -> {
            int updated;
            try (PreparedStatement update = c.prepareStatement(sql.update())) {
                int i = rows.bindMutable(update, 1, stored);
                i = rows.bindFixed(update, i, stored);
                update.setLong(i, expectedVersion);
                updated = update.executeUpdate();
            }
            if (updated == 1) {
                return Optional.of(stored);
            }
            Optional<BackupRecord> current = findOn(c, next.id());
            if (current.isPresent() && current.get().version() == expectedVersion) {
                throw new IllegalArgumentException("the id, project, instance, name and client token of "
                        + next.id() + " are fixed at creation and cannot be changed by compareAndSet");
            }
            return Optional.empty();
        });
    }

    @Override
    public boolean delete(String backupId, long expectedVersion) {
        Objects.requireNonNull(backupId, "backupId");
        String what = "delete " + backupId;
        if (dialect() == SqlDialect.POSTGRESQL) {
            return runSingle(what, c -> { // deletes and uncounts in one statement
                try (PreparedStatement delete = c.prepareStatement(sql.delete())) {
                    delete.setString(1, backupId);
                    delete.setLong(2, expectedVersion);
                    try (ResultSet deleted = delete.executeQuery()) {
                        deleted.next();
                        return deleted.getLong(1) == 1;
                    }
                }
            });
        }
        return run(what, c -> {
            String projectId;
            String instanceId;
            try (PreparedStatement lock = c.prepareStatement(sql.lockForDelete())) {
                lock.setString(1, backupId);
                lock.setLong(2, expectedVersion);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                    projectId = row.getString(1);
                    instanceId = row.getString(2);
                }
            }
            try (PreparedStatement delete = c.prepareStatement(sql.delete())) {
                delete.setString(1, backupId);
                delete.setLong(2, expectedVersion);
                if (delete.executeUpdate() != 1) {
                    return false;
                }
            }
            countOn(c, sql.countDown(), projectId, instanceId);
            return true;
        });
    }

    @Override
    public BackupPage query(BackupQuery query) {
        Objects.requireNonNull(query, "query");
        return runSingle("list backups", c -> listing.page(c, query));
    }

    @Override
    public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
        return runSingle("find expired leases", c -> leases.expired(c, now, afterId, limit));
    }

    @Override
    public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(backupIds, "backupIds");
        Objects.requireNonNull(expiresAt, "expiresAt");
        List<String> ids = List.copyOf(new LinkedHashSet<>(backupIds));
        if (ids.isEmpty()) {
            return 0;
        }
        Transactor.Work<Integer> renew = c -> leases.renew(c, owner, ids, expiresAt);
        int renewed = dialect() == SqlDialect.POSTGRESQL
                ? runSingle("renew " + ids.size() + " leases", renew) // one UPDATE with an array
                : run("renew " + ids.size() + " leases", renew); // one UPDATE per chunk, all or none
        LOG.debug("renewed {} of {} leases of {}", renewed, ids.size(), owner);
        return renewed;
    }

    private <T> T runSingle(String what, Transactor.Work<T> work) {
        try {
            return transactor.singleStatement(what, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private <T> T run(String what, Transactor.Work<T> work) {
        try {
            return transactor.inTransaction(what, work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private JdbcStoreException failure(String what, SQLException e) {
        return new JdbcStoreException(what + " on table " + table + " failed (SQLSTATE " + e.getSQLState()
                + ", error " + e.getErrorCode() + ")", e);
    }

    /** Builds a {@link JdbcBackupStore}: checks its inputs, naming the bad one, and the table. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private SqlDialect dialect;
        private String schema;
        private String table = TableName.DEFAULT_TABLE;
        private int maxAttempts = 5;
        private boolean createSchema;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * The database's dialect. Detected from the connection's metadata when not given.
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(SqlDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The schema holding the table (MySQL: the database). The connection's current one when not given.
         *
         * @param schema lowercase ASCII letters, digits and underscores, starting with a letter, at most 63
         * @return this builder
         */
        public Builder schema(String schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * The table name; {@code rds_backup}, the one the shipped migrations create, by default.
         *
         * @param table lowercase ASCII letters, digits and underscores, starting with a letter, at most 48
         * @return this builder
         */
        public Builder table(String table) {
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /**
         * How many times one operation is run when the database aborts its transaction with a serialization
         * failure or a deadlock; 5 by default.
         *
         * @param maxAttempts 1 to 100
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be 1 to 100, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Whether {@link #build()} creates the table, its constraints and indexes when they do not exist
         * (with {@code IF NOT EXISTS}), and the counts table when it does not exist, counting the records already
         * stored (writers of this version wait meanwhile); {@code false} by default: the tables are the host's to create, with
         * its migration tool.
         *
         * @param createSchema {@code true} to create what is missing
         * @return this builder
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /**
         * Builds the store after checking that the table has every column and index it needs, and that the
         * counts table exists with its columns and primary key.
         *
         * @return the store
         * @throws IllegalArgumentException naming a schema or table name that is not a plain identifier
         * @throws JdbcStoreException naming what is missing from the table, or when the database cannot be read
         */
        public JdbcBackupStore build() {
            new TableName(SqlDialect.POSTGRESQL, schema, table); // names a bad identifier before connecting
            Transactor transactor = new Transactor(dataSource, maxAttempts);
            try {
                SqlDialect chosen = dialect != null
                        ? dialect
                        : transactor.inTransaction("detect the dialect", c -> SqlDialect.detect(c.getMetaData()));
                TableName name = new TableName(chosen, schema, table);
                if (createSchema) {
                    createSchema(transactor, name);
                }
                List<String> problems = transactor.inTransaction("check " + name, c -> SchemaCheck.problems(c, name));
                if (!problems.isEmpty()) {
                    throw new JdbcStoreException(String.join("; ", problems) + ". Create it with the migrations "
                            + chosen.migrationLocation() + "/" + SchemaScript.V1 + " and " + SchemaScript.V2
                            + " (Flyway), the script of"
                            + " JdbcBackupStore.schemaSql(" + chosen + ", schema, table), or"
                            + " JdbcBackupStore.builder(dataSource).createSchema(true)");
                }
                return new JdbcBackupStore(name, transactor, maxAttempts);
            } catch (SQLException e) {
                throw new JdbcStoreException("could not read the database to set up the backup store (SQLSTATE "
                        + e.getSQLState() + ")", e);
            }
        }

        /**
         * Runs the first migration (every statement is {@code IF NOT EXISTS}), and the second only when the
         * counts table is missing, or empty while records are stored (a count that failed after MySQL had
         * committed the table): it counts the records already stored, which is a scan of the table. On
         * PostgreSQL the records' table is first locked against writes, and against another replica doing the
         * same, for that transaction, so replicas of this version that start together cannot write a record the
         * count misses (CockroachDB, which has no {@code LOCK TABLE}, is left to its serializable transactions).
         * On MySQL the count runs at {@code REPEATABLE READ}, where its {@code INSERT ... SELECT} reads with
         * shared locks, so writers wait for it.
         */
        private static void createSchema(Transactor transactor, TableName name) throws SQLException {
            runMigration(transactor, name, SchemaScript.V1);
            if (transactor.inTransaction("look for the counts of " + name, c -> SchemaCheck.countsMissing(c, name))) {
                runMigration(transactor, name, SchemaScript.V2);
                LOG.info("created the counts table of {} and counted the backups it holds", name);
            }
        }

        private static void runMigration(Transactor transactor, TableName name, String migration)
                throws SQLException {
            boolean count = migration.equals(SchemaScript.V2);
            transactor.inTransaction("create " + name + " (" + migration + ")", c -> {
                int isolation = c.getTransactionIsolation();
                if (count && name.dialect() == SqlDialect.MYSQL) {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                }
                try (Statement ddl = c.createStatement()) {
                    if (count && name.dialect() == SqlDialect.POSTGRESQL && !cockroach(ddl)) {
                        ddl.execute("LOCK TABLE " + name.qualified() + " IN SHARE ROW EXCLUSIVE MODE");
                    }
                    for (String statement : SchemaScript.statements(SchemaScript.forTable(name, migration))) {
                        ddl.execute(statement);
                    }
                } finally {
                    if (c.getTransactionIsolation() != isolation) {
                        c.setTransactionIsolation(isolation);
                    }
                }
                return null;
            });
        }

        private static boolean cockroach(Statement statement) throws SQLException {
            try (ResultSet version = statement.executeQuery("SELECT version()")) {
                return version.next() && version.getString(1).contains("CockroachDB");
            }
        }
    }
}
