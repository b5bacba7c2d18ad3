package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.jdbc.JdbcBackupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 7: listings on an embedded PostgreSQL holding 1,000,000 records (100 projects of 100 instances of
 * 100 backups, vacuumed and analysed), sampled for percentiles. {@code instancePage}: the first page of 100 of
 * a random instance through {@code JdbcBackupStore.query}, total count included. {@code projectFirstPage}: the
 * first page of 100 of a random project (10,000 records), total count included (a sum over the counts table,
 * which the loader fills with an {@code INSERT ... SELECT ... GROUP BY}, as the README says to for rows written
 * by hand). {@code *Baseline}: the same
 * page as one hand-written {@code SELECT ... ORDER BY begin_time DESC, id DESC LIMIT 100} reading every column,
 * without a count.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class JdbcPagingBenchmark {
    /** Projects, instances per project, backups per instance: 1,000,000 records. */
    static final int PROJECTS = 100;
    static final int INSTANCES = 100;
    static final int BACKUPS = 100;

    /** The loaded database. */
    @State(Scope.Benchmark)
    public static class Loaded {
        EmbeddedDatabase db;
        JdbcBackupStore store;

        /** Starts the database and loads 1,000,000 records. */
        @Setup(Level.Trial)
        public void setUp() {
            db = new EmbeddedDatabase(4);
            store = db.store("rds_backup");
            db.execute("INSERT INTO rds_backup (id, project_id, instance_id, name, type, status, datastore_engine,"
                    + " datastore_version, database_names, begin_time, end_time, size_bytes, attempts, version)"
                    + " SELECT 'b-' || lpad(g::text, 8, '0'), 'p-' || (g % " + PROJECTS + "),"
                    + " 'i-' || (g / " + PROJECTS + " % " + INSTANCES + "), 'n-' || g, 'MANUAL', 'COMPLETED',"
                    + " 'MySQL', '8.0', '[]', timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',"
                    + " timestamptz '2026-01-01 00:10:00+00' + g * interval '1 second', 1073741824, 1, 2"
                    + " FROM generate_series(0, " + (PROJECTS * INSTANCES * BACKUPS - 1) + ") AS g",
                    // rows loaded by hand are counted by hand, as the README says
                    "INSERT INTO rds_backup_counts (project_id, instance_id, backups)"
                    + " SELECT project_id, instance_id, COUNT(*) FROM rds_backup GROUP BY project_id, instance_id"
                    + " ON CONFLICT (project_id, instance_id) DO UPDATE SET backups = EXCLUDED.backups",
                    "VACUUM ANALYZE rds_backup", "VACUUM ANALYZE rds_backup_counts");
        }

        /** Stops the database. */
        @TearDown(Level.Trial)
        public void tearDown() {
            db.close();
        }
    }

    /** The first page of one instance, with the total count. */
    @Benchmark
    public BackupPage instancePage(Loaded l) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        BackupPage page = l.store.query(BackupQuery.forInstance("p-" + r.nextInt(PROJECTS),
                "i-" + r.nextInt(INSTANCES)).limit(100).build());
        check(page.items().size(), page.totalCount() == BACKUPS);
        return page;
    }

    /** The first page of a whole project, with the total count. */
    @Benchmark
    public BackupPage projectFirstPage(Loaded l) {
        BackupPage page = l.store.query(BackupQuery.forProject("p-" + ThreadLocalRandom.current().nextInt(PROJECTS))
                .limit(100).build());
        check(page.items().size(), page.totalCount() == (long) INSTANCES * BACKUPS);
        return page;
    }

    /** One hand-written SELECT of the same page of one instance, without a count. */
    @Benchmark
    public int instancePageBaseline(Loaded l) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return select(l, "SELECT * FROM rds_backup WHERE project_id = ? AND instance_id = ?"
                + " ORDER BY begin_time DESC, id DESC LIMIT 100", "p-" + r.nextInt(PROJECTS), "i-" + r.nextInt(INSTANCES));
    }

    /** One hand-written SELECT of the same first page of a project, without a count. */
    @Benchmark
    public int projectFirstPageBaseline(Loaded l) throws SQLException {
        return select(l, "SELECT * FROM rds_backup WHERE project_id = ? ORDER BY begin_time DESC, id DESC LIMIT 100",
                "p-" + ThreadLocalRandom.current().nextInt(PROJECTS));
    }

    private static int select(Loaded l, String sql, String... values) throws SQLException {
        int rows = 0;
        try (Connection c = l.db.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            try (ResultSet result = s.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    for (int i = 1; i <= columns; i++) {
                        result.getObject(i);
                    }
                    rows++;
                }
            }
        }
        check(rows, true);
        return rows;
    }

    private static void check(int rows, boolean countRight) {
        if (rows != 100 || !countRight) {
            throw new IllegalStateException("a page of " + rows + " rows, or a wrong count");
        }
    }
}
