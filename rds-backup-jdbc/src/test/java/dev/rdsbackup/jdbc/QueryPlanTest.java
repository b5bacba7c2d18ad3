package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.jdbc.internal.RecordRows;
import dev.rdsbackup.jdbc.internal.Statements;
import dev.rdsbackup.jdbc.internal.Times;
import dev.rdsbackup.jdbc.internal.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reads PostgreSQL's plans for the store's own statements on a table of 50,000 analysed rows (500 instances of
 * 100 backups in one project, and 49 other projects of 100 backups each): listings, lease searches and renewals
 * must use an index, never a sequential scan of the table.
 */
@DisplayName("PostgreSQL's plans for the store's statements")
class QueryPlanTest {

    private static final String TABLE = "plan_check";
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final TableName NAME = new TableName(SqlDialect.POSTGRESQL, null, TABLE);
    private static final Statements SQL = new Statements(NAME);

    private static DataSource pool;

    @BeforeAll
    static void fillTheTable() throws SQLException {
        pool = TestDatabases.pool(Kind.POSTGRESQL);
        JdbcBackupStore.builder(pool).table(TABLE).createSchema(true).build();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + TABLE);
            s.execute("INSERT INTO " + TABLE + " (id, project_id, instance_id, name, type, status, datastore_engine,"
                    + " datastore_version, database_names, begin_time, size_bytes, attempts, lease_owner,"
                    + " lease_expires_at, version)"
                    + " SELECT 'b-' || lpad(g::text, 8, '0'), 'p-' || (g % 50), 'i-' || (g / 50 % 500), 'n-' || g,"
                    + " 'MANUAL', CASE WHEN g % 50 = 3 AND g < 25000 THEN 'BUILDING' ELSE 'COMPLETED' END, 'MySQL', '8.0', '[]',"
                    + " timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second', 0, 0,"
                    + " CASE WHEN g % 50 = 3 AND g < 25000 THEN 'replica-' || (g % 3) END,"
                    + " CASE WHEN g % 50 = 3 AND g < 25000 THEN timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second' END, 0"
                    + " FROM generate_series(1, 50000) AS g");
            s.execute("TRUNCATE " + TABLE + "_counts");
            s.execute("INSERT INTO " + TABLE + "_counts (project_id, instance_id, backups) SELECT project_id,"
                    + " instance_id, COUNT(*) FROM " + TABLE + " GROUP BY project_id, instance_id");
            s.execute("ANALYZE " + TABLE);
            s.execute("ANALYZE " + TABLE + "_counts");
        }
    }

    private static String plan(String sql, Object... values) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i] instanceof Instant instant
                        ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : values[i];
                if (value instanceof List<?> list) {
                    s.setArray(i + 1, c.createArrayOf("varchar", list.toArray()));
                } else {
                    s.setObject(i + 1, value);
                }
            }
            return planOf(s);
        }
    }

    /** Runs an {@code EXPLAIN} whose values are bound and returns the plan's lines. */
    private static String planOf(PreparedStatement explain) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet r = explain.executeQuery()) {
            while (r.next()) {
                plan.append(r.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static void assertIndexed(String plan) {
        assertThat(plan).as(plan).doesNotContain("Seq Scan on " + TABLE).contains("Index");
    }

    @Test
    @DisplayName("a page of one instance reads the instance index, without a sequential scan")
    void pageOfOneInstance() throws SQLException {
        BackupQuery query = BackupQuery.forInstance("p-7", "i-123").build();

        assertIndexed(plan(SQL.page(SQL.where(query)), "p-7", "i-123", 100, 0));
        assertIndexed(plan(SQL.count(SQL.where(query)), "p-7", "i-123"));
        assertThat(plan(SQL.counted(true), "p-7", "i-123")).contains(TABLE + "_counts_pkey")
                .doesNotContain("Seq Scan");
        String page = plan(SQL.pageWithCount(SQL.where(query), true), "p-7", "i-123", "p-7", "i-123", 100, 0);
        assertIndexed(page);
        assertThat(page).as(page).contains(TABLE + "_counts_pkey").doesNotContain("Seq Scan");
    }

    @Test
    @DisplayName("a filtered page of one instance, with a window, still reads an index")
    void filteredPageOfOneInstance() throws SQLException {
        BackupQuery query = BackupQuery.forInstance("p-7", "i-123").statuses(BackupStatus.COMPLETED)
                .window(T0, T0.plusSeconds(86_400)).build();

        assertIndexed(plan(SQL.page(SQL.where(query)), "p-7", "i-123", "COMPLETED", T0, T0.plusSeconds(86_400),
                100, 0));
    }

    @Test
    @DisplayName("the first page of a project reads the project index in order, and its count the counts table's key")
    void firstPageOfAProject() throws SQLException {
        BackupQuery query = BackupQuery.forProject("p-7").build();

        assertIndexed(plan(SQL.page(SQL.where(query)), "p-7", 100, 0));
        String page = plan(SQL.pageWithCount(SQL.where(query), false), "p-7", "p-7", 100, 0);
        assertIndexed(page);
        assertThat(page).as(page).contains(TABLE + "_counts_pkey").doesNotContain("Seq Scan");
        String count = plan(SQL.counted(false), "p-7");
        assertThat(count).as(count).contains(TABLE + "_counts_pkey").doesNotContain("Seq Scan");
    }

    @Test
    @DisplayName("the search for expired leases and the renewal of a replica's leases read indexes")
    void leases() throws SQLException {
        assertIndexed(plan(SQL.expiredLeases(), T0.plusSeconds(60_000), "", 100));
        assertIndexed(plan(SQL.renewLeasesArray(), T0, "replica-1", List.of("b-00000003", "b-00000053")));
    }

    @Test
    @DisplayName("a delete reaches its instance's count by the counts table's primary key")
    void countsByPrimaryKey() throws SQLException {
        String delete = plan(SQL.delete(), "b-00000777", 0L);
        assertThat(delete).as(delete).contains("using " + TABLE + "_pkey").contains(TABLE + "_counts_pkey")
                .doesNotContain("Seq Scan");
    }

    @Test
    @DisplayName("finding the records a new one collides with reads indexes")
    void conflicts() throws SQLException {
        assertIndexed(plan(SQL.conflicts(), "p-7", "token", "i-123", "n-1"));
    }

    @Test
    @DisplayName("a compare-and-set and a delete reach their record by the primary key, in custom and generic plans,"
            + " also when one project holds every record")
    void writesByPrimaryKey() throws SQLException {
        String table = "plan_one_project";
        JdbcBackupStore.builder(pool).table(table).createSchema(true).build();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + table);
            s.execute("INSERT INTO " + table + " (id, project_id, instance_id, name, type, status, datastore_engine,"
                    + " datastore_version, database_names, begin_time, size_bytes, attempts, version)"
                    + " SELECT 'b-' || lpad(g::text, 8, '0'), 'p-1', 'i-' || (g % 100), 'n-' || g, 'MANUAL',"
                    + " 'COMPLETED', 'MySQL', '8.0', '[]', timestamptz '2026-03-01 00:00:00+00' + g * interval '1 second',"
                    + " 0, 0, 0 FROM generate_series(1, 20000) AS g");
            s.execute("ANALYZE " + table);
        }
        Statements sql = new Statements(new TableName(SqlDialect.POSTGRESQL, null, table));
        RecordRows rows = new RecordRows(new Times(SqlDialect.POSTGRESQL));
        BackupRecord record = RecordRows.stored(BackupRecord.builder().id("b-00000777").projectId("p-1")
                .instanceId("i-77").name("n-777").type(BackupType.MANUAL).status(BackupStatus.COMPLETED)
                .datastore(new Datastore("MySQL", "8.0")).beginTime(T0).endTime(T0).build());
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            try (Connection c = pool.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET plan_cache_mode = " + mode);
                }
                String update;
                try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql.update())) {
                    int i = rows.bindMutable(s, 1, record);
                    i = rows.bindFixed(s, i, record);
                    s.setLong(i, 0);
                    update = planOf(s);
                }
                assertThat(update).as(mode + "\n" + update).contains("using " + table + "_pkey");
                String delete;
                try (PreparedStatement s = c.prepareStatement("EXPLAIN " + sql.delete())) {
                    s.setString(1, record.id());
                    s.setLong(2, 0);
                    delete = planOf(s);
                }
                assertThat(delete).as(mode + "\n" + delete).contains("using " + table + "_pkey");
                try (Statement s = c.createStatement()) {
                    s.execute("RESET plan_cache_mode");
                }
            }
        }
    }
}
