package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("JdbcBackupStore, beyond the contract")
class JdbcBackupStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456Z");

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static BackupRecord.Builder record(String project, String instance, String name) {
        return BackupRecord.builder().id(unique("b")).projectId(project).instanceId(instance).name(name)
                .type(BackupType.MANUAL).status(BackupStatus.COMPLETED).datastore(new Datastore("MySQL", "8.0"))
                .beginTime(T0);
    }

    private static void execute(javax.sql.DataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("detects the dialect from the connection when none is given")
    void detectsTheDialect(Kind kind) {
        JdbcBackupStore store = TestDatabases.sharedStore(kind);

        assertThat(store.dialect()).isEqualTo(kind == Kind.POSTGRESQL ? SqlDialect.POSTGRESQL : SqlDialect.MYSQL);
        assertThat(store.tableName()).isEqualTo("rds_backup");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("refuses to build on a missing table and names it, without creating it")
    void namesAMissingTable(Kind kind) {
        assertThatThrownBy(() -> JdbcBackupStore.builder(TestDatabases.pool(kind)).table("no_such_table").build())
                .isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("there is no table no_such_table")
                .hasMessageContaining("V1__create_rds_backup.sql");
        assertThatThrownBy(() -> JdbcBackupStore.builder(TestDatabases.pool(kind)).table("no_such_table").build())
                .hasMessageContaining("there is no table no_such_table");
    }

    /** Work on a table of the test's own, created by a store built with createSchema(true). */
    @FunctionalInterface
    private interface OwnTableWork {
        void run(javax.sql.DataSource pool, String table, JdbcBackupStore store) throws SQLException;
    }

    /** Creates a table of the test's own, runs the work on it, and drops it and its counts table. */
    private static void withOwnTable(Kind kind, String prefix, OwnTableWork work) throws SQLException {
        String table = prefix + "_" + kind.name().toLowerCase();
        javax.sql.DataSource pool = TestDatabases.pool(kind);
        try {
            work.run(pool, table, JdbcBackupStore.builder(pool).table(table).createSchema(true).build());
        } finally {
            execute(pool, "DROP TABLE IF EXISTS " + table);
            execute(pool, "DROP TABLE IF EXISTS " + table + "_counts");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("refuses to build on a table that lacks an index or a column, and names what is missing")
    void namesMissingIndexesAndColumns(Kind kind) throws SQLException {
        withOwnTable(kind, "partial", (pool, table, store) -> {
            execute(pool, kind == Kind.POSTGRESQL
                    ? "DROP INDEX " + table + "_owner_idx"
                    : "DROP INDEX " + table + "_owner_idx ON " + table);
            execute(pool, "ALTER TABLE " + table + " DROP COLUMN failure_message");

            assertThatThrownBy(() -> JdbcBackupStore.builder(pool).table(table).build())
                    .isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("lacks the columns [failure_message]")
                    .hasMessageContaining("lacks the indexes [" + table + "_owner_idx]");
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("refuses to build without the counts table, or with one keyed wrongly, and names it")
    void namesAMissingCountsTable(Kind kind) throws SQLException {
        withOwnTable(kind, "uncounted", (pool, table, store) -> {
            execute(pool, "DROP TABLE " + table + "_counts");
            assertThatThrownBy(() -> JdbcBackupStore.builder(pool).table(table).build())
                    .isInstanceOf(JdbcStoreException.class)
                    .hasMessageContaining("there is no table " + table + "_counts")
                    .hasMessageContaining("V2__count_backups.sql");

            execute(pool, "CREATE TABLE " + table + "_counts (project_id varchar(255) NOT NULL, instance_id"
                    + " varchar(255) NOT NULL, backups bigint NOT NULL, PRIMARY KEY (instance_id, project_id))");
            assertThatThrownBy(() -> JdbcBackupStore.builder(pool).table(table).build())
                    .hasMessageContaining("table " + table + "_counts must have the primary key (project_id,"
                            + " instance_id), has [instance_id, project_id]");
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("createSchema(true) on a table without its counts table, or with an empty one, counts the records stored")
    void countsTheRecordsOfAnOlderTable(Kind kind) throws SQLException {
        withOwnTable(kind, "older", (pool, table, store) -> {
            String project = unique("p");
            for (int i = 0; i < 5; i++) {
                store.create(record(project, "i-" + (i % 2), "n-" + i).build());
            }
            execute(pool, "DROP TABLE " + table + "_counts");

            JdbcBackupStore again = JdbcBackupStore.builder(pool).table(table).createSchema(true).build();

            assertThat(Replicas.counted(pool, again, project)).containsExactly(entry("i-0", 3L), entry("i-1", 2L));
            assertThat(again.query(BackupQuery.forProject(project).limit(1).build()).totalCount()).isEqualTo(5);

            // An empty counts table beside stored records (MySQL committed the table, then the count failed).
            execute(pool, "DELETE FROM " + table + "_counts");
            JdbcBackupStore.builder(pool).table(table).createSchema(true).build();
            assertThat(Replicas.counted(pool, again, project)).containsExactly(entry("i-0", 3L), entry("i-1", 2L));
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("counts each instance's backups through creates, refused creates and deletes, and a whole"
            + " project's or instance's listing takes its total from those counts")
    void countsEachInstance(Kind kind) throws SQLException {
        javax.sql.DataSource pool = TestDatabases.pool(kind);
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        String project = unique("p");
        List<BackupRecord> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(((CreateResult.Created) store.create(record(project, i < 3 ? "i-1" : "i-2", "n-" + i)
                    .beginTime(T0.plusSeconds(i)).build())).record());
        }
        assertThat(store.create(record(project, "i-1", "n-0").build())).isInstanceOf(CreateResult.NameTaken.class);
        assertThat(store.delete(stored.get(0).id(), 7)).isFalse();
        assertThat(store.delete(stored.get(3).id(), 0)).isTrue();
        assertThat(store.delete(stored.get(3).id(), 0)).isFalse();

        assertThat(Replicas.counted(pool, store, project)).containsExactly(entry("i-1", 3L), entry("i-2", 1L));
        assertThat(store.query(BackupQuery.forProject(project).limit(1).build()).totalCount()).isEqualTo(4);
        assertThat(store.query(BackupQuery.forInstance(project, "i-1").limit(2).build()).totalCount()).isEqualTo(3);
        assertThat(store.query(BackupQuery.forProject(project).offset(10).build()).totalCount())
                .as("an empty page past the last match, which no row carries the count on").isEqualTo(4);

        // The totals above came from the counts table: a count changed behind the store's back shows in them,
        // while a filtered listing still counts its matches.
        execute(pool, "UPDATE rds_backup_counts SET backups = backups + 100 WHERE project_id = '" + project
                + "' AND instance_id = 'i-1'");
        assertThat(store.query(BackupQuery.forProject(project).limit(1).build()).totalCount()).isEqualTo(104);
        assertThat(store.query(BackupQuery.forInstance(project, "i-1").limit(2).build()).totalCount())
                .isEqualTo(103);
        BackupPage pastTheEnd = store.query(BackupQuery.forProject(project).offset(50).limit(1).build());
        assertThat(pastTheEnd.totalCount()).as("an empty page at offset 50 has at most 50 matches").isEqualTo(50);
        assertThat(pastTheEnd.hasMore()).isFalse();
        assertThat(store.query(BackupQuery.forProject(project).statuses(BackupStatus.COMPLETED).limit(1).build())
                .totalCount()).isEqualTo(4);
        assertThat(store.query(BackupQuery.forProject(project).type(BackupType.MANUAL).limit(1).build())
                .totalCount()).isEqualTo(4);
        assertThat(store.query(BackupQuery.forProject(project).window(T0, T0.plusSeconds(60)).limit(1).build())
                .totalCount()).isEqualTo(4);

        // Counts that drifted below the rows never end a caller's paging early, and never fail a listing.
        execute(pool, "UPDATE rds_backup_counts SET backups = -5 WHERE project_id = '" + project + "'");
        BackupPage first = store.query(BackupQuery.forProject(project).limit(1).build());
        assertThat(first.totalCount()).isEqualTo(2);
        assertThat(first.hasMore()).isTrue();
        assertThat(store.query(BackupQuery.forInstance(project, "i-1").build()).totalCount()).isEqualTo(3);
        assertThat(store.query(BackupQuery.forProject(project).offset(9).build()).totalCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("warns once per store when the counts disagree with a page, not at every listing")
    void warnsOnceAboutDrift(Kind kind) throws SQLException {
        javax.sql.DataSource pool = TestDatabases.pool(kind);
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        String project = unique("p");
        for (int i = 0; i < 3; i++) {
            store.create(record(project, "i-1", "n-" + i).beginTime(T0.plusSeconds(i)).build());
        }
        execute(pool, "UPDATE rds_backup_counts SET backups = 0 WHERE project_id = '" + project + "'");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(store.query(BackupQuery.forProject(project).limit(1).build()).totalCount()).isEqualTo(2);
                assertThat(store.query(BackupQuery.forProject(project).build()).totalCount()).isEqualTo(3);
            }
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(log.split("WARN dev.rdsbackup.jdbc.internal.Listing", -1)).as(log).hasSize(2);
        assertThat(log).contains("says 0 backups where a listing shows at least 2").doesNotContain(project);
    }

    @Test
    @DisplayName("refuses table and schema names that are not plain lowercase identifiers, naming which")
    void refusesBadIdentifiers() {
        javax.sql.DataSource pool = TestDatabases.pool(Kind.POSTGRESQL);
        assertThatThrownBy(() -> JdbcBackupStore.builder(pool).table("rds_backup; DROP TABLE x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table must be");
        assertThatThrownBy(() -> JdbcBackupStore.builder(pool).table("Backups").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table must be");
        assertThatThrownBy(() -> JdbcBackupStore.builder(pool).schema("public\"").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("schema must be");
        assertThatThrownBy(() -> JdbcBackupStore.schemaSql(SqlDialect.MYSQL, null, "x".repeat(49)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("table must be");
        assertThatThrownBy(() -> JdbcBackupStore.builder(pool).maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("maxAttempts must be");
    }

    @Test
    @DisplayName("prints the schema for another table and schema, renaming every constraint and index")
    void printsTheSchemaForAnotherTable() {
        String sql = JdbcBackupStore.schemaSql(SqlDialect.POSTGRESQL, "control", "backups");

        assertThat(sql).contains("CREATE TABLE IF NOT EXISTS \"control\".\"backups\" (")
                .contains("CONSTRAINT \"backups_name_uq\" UNIQUE (project_id, instance_id, name)")
                .contains("\"backups_building_uq\" ON \"control\".\"backups\" (project_id, instance_id)"
                        + " WHERE status = 'BUILDING'")
                .contains("CREATE TABLE IF NOT EXISTS \"control\".\"backups_counts\" (")
                .contains("CONSTRAINT \"backups_counts_pkey\" PRIMARY KEY (project_id, instance_id)")
                .doesNotContain("LOCK")
                .contains("INSERT INTO \"control\".\"backups_counts\" (project_id, instance_id, backups)\n"
                        + "SELECT project_id, instance_id, COUNT(*) FROM \"control\".\"backups\" GROUP BY")
                .doesNotContain("rds_backup");
        assertThat(JdbcBackupStore.schemaSql(SqlDialect.MYSQL, null, "backups"))
                .contains("CREATE TABLE IF NOT EXISTS `backups_counts` (")
                .contains("CREATE TABLE IF NOT EXISTS `backups` (").contains("UNIQUE KEY `backups_building_uq`")
                .doesNotContain("rds_backup");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("creates a table of another name in another schema, and uses it")
    void usesAnotherSchema(Kind kind) throws SQLException {
        execute(TestDatabases.pool(kind), kind == Kind.POSTGRESQL
                ? "CREATE SCHEMA IF NOT EXISTS other_schema" : "CREATE DATABASE IF NOT EXISTS other_schema");
        JdbcBackupStore store = JdbcBackupStore.builder(TestDatabases.pool(kind)).schema("other_schema")
                .table("other_backups").createSchema(true).build();
        BackupRecord stored = ((CreateResult.Created) store.create(record(unique("p"), "i-1", "nightly").build()))
                .record();

        BackupRecord second = ((CreateResult.Created) store.create(record(stored.projectId(), "i-1", "weekly")
                .build())).record();

        assertThat(store.tableName()).isEqualTo("other_schema.other_backups");
        assertThat(store.find(stored.id())).contains(stored);
        assertThat(TestDatabases.sharedStore(kind).find(stored.id())).isEmpty();
        assertThat(store.query(BackupQuery.forProject(stored.projectId()).limit(1).build()).totalCount())
                .isEqualTo(2);
        assertThat(store.delete(second.id(), 0)).isTrue();
        assertThat(store.query(BackupQuery.forInstance(stored.projectId(), "i-1").offset(5).build())
                .totalCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("keeps every field, microseconds included, whatever the session's time zone")
    void keepsEveryFieldWhateverTheTimeZone(Kind kind) {
        String zone = kind == Kind.POSTGRESQL ? "SET TIME ZONE 'Pacific/Chatham'" : "SET time_zone = '+12:45'";
        try (HikariDataSource shifted = TestDatabases.newPool(kind, 2, c -> c.setConnectionInitSql(zone))) {
            JdbcBackupStore writer = JdbcBackupStore.builder(shifted).build();
            BackupRecord full = record(unique("p"), "i-1", "full").status(BackupStatus.FAILED)
                    .description("a \"quoted\", multi-line\ndescription ✓")
                    .type(BackupType.AUTOMATED)
                    .databases(List.of("orders", "a,b", "quote\"d", "back\\slash", "[x]", "ünï"))
                    .clientToken("token with spaces ' and \" quotes")
                    .endTime(T0.plusSeconds(61).plusNanos(999_000))
                    .sizeBytes(Long.MAX_VALUE)
                    .progress(new BackupProgress(42, 1234, 5678, T0.plusSeconds(3600).plusNanos(1_000)))
                    .failure(new BackupFailure(ErrorCode.ENGINE_FAILED, "engine said: 'no'"))
                    .attempts(3)
                    .lease(new Lease("replica-a", T0.plusSeconds(30).plusNanos(7_000)))
                    .lock(new BackupLock("i-1", "session-42"))
                    .build();

            BackupRecord stored = ((CreateResult.Created) writer.create(full)).record();

            assertThat(stored).isEqualTo(full.withVersion(0));
            assertThat(TestDatabases.sharedStore(kind).find(full.id())).contains(stored);
            assertThat(writer.find(full.id())).contains(stored);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("truncates nanoseconds to the stated microseconds and returns what it stored")
    void truncatesToMicroseconds(Kind kind) {
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        BackupRecord nanos = record(unique("p"), "i-1", "nanos").beginTime(T0.plusNanos(999)).build();

        BackupRecord stored = ((CreateResult.Created) store.create(nanos)).record();

        assertThat(stored.beginTime()).isEqualTo(T0);
        assertThat(store.find(nanos.id())).contains(stored);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("answers in the SPI's order even when a client token looks like a constraint name in the error")
    void hostileClientTokens(Kind kind) {
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        String project = unique("p");
        String token = "x' for key 'rds_backup_pkey' constraint \"rds_backup_pkey\"";
        BackupRecord first = ((CreateResult.Created) store.create(record(project, "i-1", "first")
                .clientToken(token).build())).record();

        assertThat(store.create(record(project, "i-2", "second").clientToken(token).build()))
                .isEqualTo(new CreateResult.ClientTokenTaken(first));
        assertThat(store.create(record(project, "i-1", "first").clientToken(token + "2").build()))
                .isEqualTo(new CreateResult.NameTaken(first));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("refuses a second record with a stored id, and a compare-and-set that changes a fixed field")
    void refusesDuplicateIdsAndIdentityChanges(Kind kind) {
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        BackupRecord stored = ((CreateResult.Created) store.create(record(unique("p"), "i-1", "first").build()))
                .record();

        assertThatThrownBy(() -> store.create(stored.toBuilder().name("other").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(stored.id());
        assertThatThrownBy(() -> store.compareAndSet(stored.toBuilder().name("renamed").build(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fixed at creation");
        assertThat(store.compareAndSet(stored.toBuilder().name("renamed").build(), 5)).isEmpty();
        assertThat(store.find(stored.id())).contains(stored);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("renews more leases than one IN list holds, in one call")
    void renewsManyLeases(Kind kind) {
        JdbcBackupStore store = TestDatabases.sharedStore(kind);
        String project = unique("p");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            BackupRecord r = record(project, "i-" + i, "leased").status(BackupStatus.BUILDING)
                    .lease(new Lease("replica-many", T0)).build();
            store.create(r);
            ids.add(r.id());
        }
        Instant later = T0.plusSeconds(60);

        assertThat(store.renewLeases("replica-many", ids, later)).isEqualTo(1_100);
        assertThat(store.find(ids.get(1_099)).orElseThrow().lease()).isEqualTo(new Lease("replica-many", later));
        assertThat(store.renewLeases("replica-other", ids, later)).isZero();
        assertThat(store.renewLeases("replica-many", List.of(), later)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @DisplayName("works on a pool with autocommit off and leaves no transaction open on its connection")
    void autocommitOffLeavesNoTransactionOpen(Kind kind) throws SQLException {
        try (HikariDataSource pool = TestDatabases.newPool(kind, 1, c -> c.setAutoCommit(false))) {
            long session;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery(kind == Kind.POSTGRESQL
                            ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")) {
                r.next();
                session = r.getLong(1);
                c.commit();
            }
            JdbcBackupStore store = JdbcBackupStore.builder(pool).build();
            BackupRecord r = record(unique("p"), "i-1", "nightly").status(BackupStatus.BUILDING).build();
            BackupRecord stored = ((CreateResult.Created) store.create(r)).record();
            assertThat(store.create(record(r.projectId(), "i-1", "nightly").build()))
                    .isInstanceOf(CreateResult.NameTaken.class);
            store.compareAndSet(stored.toBuilder().status(BackupStatus.COMPLETED).build(), 0).orElseThrow();
            BackupRecord other = ((CreateResult.Created) store.create(record(r.projectId(), "i-1", "weekly")
                    .build())).record();
            assertThat(store.query(BackupQuery.forProject(r.projectId()).limit(1).build()).totalCount()).isEqualTo(2);
            assertThat(store.query(BackupQuery.forProject(r.projectId()).statuses(BackupStatus.COMPLETED).limit(1)
                    .build()).totalCount()).isEqualTo(2);
            assertThat(store.delete(other.id(), 0)).isTrue();

            assertThat(TestDatabases.sharedStore(kind).find(r.id()).orElseThrow().status())
                    .isEqualTo(BackupStatus.COMPLETED);
            assertThat(openTransactions(kind, session)).isZero();
        }
    }

    private static long openTransactions(Kind kind, long session) throws SQLException {
        String sql = kind == Kind.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ? AND state <> 'idle'"
                : "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = ?";
        try (Connection c = TestDatabases.pool(kind).getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, session);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
