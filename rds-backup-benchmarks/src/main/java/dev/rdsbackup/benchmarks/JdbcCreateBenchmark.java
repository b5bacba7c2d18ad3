package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 6: backups created and driven to COMPLETED per second on an embedded PostgreSQL through
 * {@code JdbcBackupStore}, on 1, 2 and 8 threads, against a baseline that does the least SQL a backup needs.
 *
 * <p>{@code library*}: {@code DefaultBackupService.create} with {@code JdbcBackupStore} over a HikariCP pool
 * of 8 connections (autocommit on), the lean probe and instant engine, and an inline scheduler: each call
 * returns after the whole lifecycle. {@code minimalSql*}: over the same kind of pool and table, one INSERT of
 * the BUILDING row and two {@code UPDATE ... WHERE id = ? AND version = ?} (lock stored, then COMPLETED).
 * Both print the statements they executed per backup at the end of the run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
public class JdbcCreateBenchmark {
    /** Instances the creates cycle through. */
    public static final int INSTANCES = 10_000;

    /** Counts backups and prints statements per backup at the end. */
    abstract static class Counted {
        final AtomicLong backups = new AtomicLong();
        EmbeddedDatabase db;

        void report(String what) {
            System.out.printf("%n%s: %.2f statements per backup (%d statements, %d backups)%n", what,
                    (double) db.statements() / Math.max(1, backups.get()), db.statements(), backups.get());
        }
    }

    /** The library on the JDBC store. */
    @State(Scope.Benchmark)
    public static class Library extends Counted {
        final String[] instanceIds = Fixtures.instanceIds(INSTANCES);
        ScheduledThreadPoolExecutor timer;
        DefaultBackupService service;

        /** Starts the database and wires the service. */
        @Setup(Level.Trial)
        public void setUp() {
            db = new EmbeddedDatabase(8);
            timer = Fixtures.timer();
            service = DefaultBackupService.builder()
                    .store(db.store("rds_backup"))
                    .probe(new Fixtures.LeanProbe(instanceIds))
                    .engine(new Fixtures.InstantEngine())
                    .clock(Clock.systemUTC())
                    .scheduler(Fixtures.inline(timer))
                    .build();
        }

        /** Prints statements per backup and stops the database. */
        @TearDown(Level.Trial)
        public void tearDown() {
            report("library");
            timer.shutdownNow();
            db.close();
        }
    }

    /** The least SQL: one INSERT, two UPDATEs. */
    @State(Scope.Benchmark)
    public static class MinimalSql extends Counted {
        final String[] instanceIds = Fixtures.instanceIds(INSTANCES);
        final Clock clock = Clock.systemUTC();

        /** Starts the database and creates the same table. */
        @Setup(Level.Trial)
        public void setUp() {
            db = new EmbeddedDatabase(8);
            db.store("rds_backup");
        }

        /** Prints statements per backup and stops the database. */
        @TearDown(Level.Trial)
        public void tearDown() {
            report("minimal SQL");
            db.close();
        }
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public BackupRecord library1Thread(Library l, CreateThroughputBenchmark.Cursor c) {
        return library(l, c);
    }

    /** The library, two threads. */
    @Benchmark
    @Threads(2)
    public BackupRecord library2Threads(Library l, CreateThroughputBenchmark.Cursor c) {
        return library(l, c);
    }

    /** The library, eight threads. */
    @Benchmark
    @Threads(8)
    public BackupRecord library8Threads(Library l, CreateThroughputBenchmark.Cursor c) {
        return library(l, c);
    }

    /** The minimal SQL, one thread. */
    @Benchmark
    @Threads(1)
    public int minimalSql1Thread(MinimalSql m, CreateThroughputBenchmark.Cursor c) throws SQLException {
        return minimalSql(m, c);
    }

    /** The minimal SQL, two threads. */
    @Benchmark
    @Threads(2)
    public int minimalSql2Threads(MinimalSql m, CreateThroughputBenchmark.Cursor c) throws SQLException {
        return minimalSql(m, c);
    }

    /** The minimal SQL, eight threads. */
    @Benchmark
    @Threads(8)
    public int minimalSql8Threads(MinimalSql m, CreateThroughputBenchmark.Cursor c) throws SQLException {
        return minimalSql(m, c);
    }

    private static BackupRecord library(Library l, CreateThroughputBenchmark.Cursor c) {
        BackupHandle handle = l.service.create(c.next(l.instanceIds));
        BackupRecord done = handle.completion().toCompletableFuture().getNow(null);
        if (done == null || done.status() != BackupStatus.COMPLETED) {
            throw new IllegalStateException("backup not completed inline: " + done);
        }
        l.backups.incrementAndGet();
        return done;
    }

    private static final String INSERT = "INSERT INTO rds_backup (id, project_id, instance_id, name, client_token,"
            + " description, type, status, datastore_engine, datastore_version, database_names, begin_time,"
            + " size_bytes, attempts, lease_owner, lease_expires_at, version)"
            + " VALUES (?, ?, ?, ?, NULL, NULL, 'MANUAL', 'BUILDING', 'MySQL', '8.0', '[]', ?, 0, 0, 'bench', ?, 0)";
    private static final String LOCKED = "UPDATE rds_backup SET attempts = 1, lock_instance_id = ?,"
            + " lock_token = 'lock', version = 1 WHERE id = ? AND version = 0";
    private static final String COMPLETED = "UPDATE rds_backup SET status = 'COMPLETED', end_time = ?,"
            + " size_bytes = ?, lock_instance_id = NULL, lock_token = NULL, lease_owner = NULL,"
            + " lease_expires_at = NULL, version = 2 WHERE id = ? AND version = 1";

    private static int minimalSql(MinimalSql m, CreateThroughputBenchmark.Cursor c) throws SQLException {
        BackupRequest request = c.next(m.instanceIds);
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(m.clock).withOffsetSameInstant(ZoneOffset.UTC);
        int rows;
        try (Connection connection = m.db.dataSource().getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, id);
                insert.setString(2, request.projectId());
                insert.setString(3, request.instanceId());
                insert.setString(4, request.name());
                insert.setObject(5, now);
                insert.setObject(6, now.plusMinutes(2));
                rows = insert.executeUpdate();
            }
            try (PreparedStatement locked = connection.prepareStatement(LOCKED)) {
                locked.setString(1, request.instanceId());
                locked.setString(2, id);
                rows += locked.executeUpdate();
            }
            try (PreparedStatement completed = connection.prepareStatement(COMPLETED)) {
                completed.setObject(1, OffsetDateTime.now(m.clock).withOffsetSameInstant(ZoneOffset.UTC));
                completed.setLong(2, 1L << 30);
                completed.setString(3, id);
                rows += completed.executeUpdate();
            }
        }
        if (rows != 3) {
            throw new IllegalStateException("a write did not land");
        }
        m.backups.incrementAndGet();
        return rows;
    }
}
