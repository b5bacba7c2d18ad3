package dev.rdsbackup.jdbc;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Control-plane replicas for tests: real services on real threads, each with a scheduler of its own. */
final class Replicas implements AutoCloseable {

    private final List<ScheduledExecutorService> executors = new ArrayList<>();

    /** A replica on a store, sharing the probe and engine with the others. */
    DefaultBackupService replica(String id, BackupStore store, InstanceProbe probe, BackupEngine engine, Clock clock,
            Duration lease) {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        executors.add(executor);
        return DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine)
                .clock(clock)
                .scheduler(TaskScheduler.of(executor))
                .retryPolicy(RetryPolicy.builder().delay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5))
                        .maxAttempts(3).build())
                .replicaId(id)
                .leaseDuration(lease)
                .build();
    }

    /** Every record of a project, all pages. */
    static List<BackupRecord> all(BackupStore store, String projectId) {
        List<BackupRecord> records = new ArrayList<>();
        for (int offset = 0; ; offset += BackupQuery.MAX_LIMIT) {
            List<BackupRecord> page = store.query(BackupQuery.forProject(projectId).offset(offset).build()).items();
            records.addAll(page);
            if (page.size() < BackupQuery.MAX_LIMIT) {
                return records;
            }
        }
    }

    /**
     * Each instance's backups as the counts table holds them (instances counted at zero left out), read with
     * SQL on the table of {@code store}.
     */
    static Map<String, Long> counted(DataSource pool, JdbcBackupStore store, String projectId) {
        Map<String, Long> counts = new TreeMap<>();
        String sql = "SELECT instance_id, backups FROM " + store.tableName() + "_counts WHERE project_id = ?";
        try (Connection c = pool.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (rows.getLong(2) != 0) {
                        counts.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the counts table", e);
        }
        return counts;
    }

    /** Each instance's backups, counted from the records of a project. */
    static Map<String, Long> countedByHand(List<BackupRecord> records) {
        return records.stream().collect(Collectors.groupingBy(BackupRecord::instanceId, TreeMap::new,
                Collectors.counting()));
    }

    /** Whether a project has no work in progress. */
    static boolean settled(BackupStore store, String projectId) {
        return all(store, projectId).stream().noneMatch(r -> r.status() == BackupStatus.BUILDING
                || r.status() == BackupStatus.DELETING || r.lock() != null);
    }

    /**
     * Waits, polling, until a condition holds; fails after a bound. Only for tests on real threads, where the
     * work under test runs on the services' own schedulers.
     */
    static void await(String what, Duration bound, BooleanSupplier condition, Runnable nudge) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting until " + what + " after " + bound);
            }
            nudge.run();
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    @Override
    public void close() {
        for (ScheduledExecutorService executor : executors) {
            executor.shutdownNow();
        }
        try {
            for (ScheduledExecutorService executor : executors) {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
