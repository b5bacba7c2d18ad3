package dev.rdsbackup.benchmarks;

import dev.rdsbackup.jdbc.JdbcBackupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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
 * Figure 8: one replica renews the leases of 100,000 BUILDING backups (in a table of 200,000, half of them
 * another replica's) on an embedded PostgreSQL. {@code renewLeases}: {@code JdbcBackupStore.renewLeases} with
 * the 100,000 ids (one {@code UPDATE ... WHERE lease_owner = ? AND id = ANY(?)}); it prints the statements it
 * ran. {@code baseline}: the least SQL, one {@code UPDATE ... WHERE lease_owner = ?} with no id list.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class JdbcLeaseRenewalBenchmark {
    /** Leases the replica renews. */
    static final int LEASES = 100_000;

    /** The loaded database. */
    @State(Scope.Benchmark)
    public static class Loaded {
        EmbeddedDatabase db;
        JdbcBackupStore store;
        final List<String> ids = new ArrayList<>(LEASES);
        Instant expiry = Instant.parse("2026-01-01T00:00:00Z");

        /** Starts the database and loads 200,000 leased records. */
        @Setup(Level.Trial)
        public void setUp() {
            db = new EmbeddedDatabase(2);
            store = db.store("rds_backup");
            db.execute("INSERT INTO rds_backup (id, project_id, instance_id, name, type, status, datastore_engine,"
                    + " datastore_version, database_names, begin_time, size_bytes, attempts, lease_owner,"
                    + " lease_expires_at, version)"
                    + " SELECT 'b-' || lpad(g::text, 8, '0'), 'p-1', 'i-' || g, 'n', 'MANUAL', 'BUILDING', 'MySQL',"
                    + " '8.0', '[]', timestamptz '2026-01-01 00:00:00+00', 0, 1,"
                    + " CASE WHEN g % 2 = 0 THEN 'replica-bench' ELSE 'replica-other' END,"
                    + " timestamptz '2026-01-01 00:02:00+00', 0 FROM generate_series(0, " + (2 * LEASES - 1) + ") AS g",
                    "VACUUM ANALYZE rds_backup");
            for (int g = 0; g < 2 * LEASES; g += 2) {
                ids.add(String.format("b-%08d", g));
            }
        }

        /** Prints the statements per renewal and stops the database. */
        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.printf("%nstatements executed through the store or the baseline: %d%n", db.statements());
            db.close();
        }

        Instant nextExpiry() {
            expiry = expiry.plusSeconds(1);
            return expiry;
        }
    }

    /** The store renews the replica's 100,000 leases by id. */
    @Benchmark
    public int renewLeases(Loaded l) {
        int renewed = l.store.renewLeases("replica-bench", l.ids, l.nextExpiry());
        if (renewed != LEASES) {
            throw new IllegalStateException("renewed " + renewed);
        }
        return renewed;
    }

    /** One UPDATE of every lease of the owner, without an id list. */
    @Benchmark
    public int baseline(Loaded l) throws SQLException {
        try (Connection c = l.db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE rds_backup SET lease_expires_at = ?,"
                        + " version = version + 1 WHERE lease_owner = ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(l.nextExpiry(), ZoneOffset.UTC));
            s.setString(2, "replica-bench");
            int renewed = s.executeUpdate();
            if (renewed != LEASES) {
                throw new IllegalStateException("renewed " + renewed);
            }
            return renewed;
        }
    }
}
