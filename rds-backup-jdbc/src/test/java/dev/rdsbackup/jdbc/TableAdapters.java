package dev.rdsbackup.jdbc;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.api.spi.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A probe and an engine whose state lives in PostgreSQL tables, so that replicas in different processes see
 * the same locks and copies, and a test sees what a killed process left behind: {@code probe_locks} (one row
 * per lock handed out, released or not) and {@code engine_copies} (one row per copy: RUNNING, COMPLETED,
 * STOPPED or DELETED).
 */
final class TableAdapters {

    private TableAdapters() {
    }

    /** Creates the two tables if they are missing. */
    static void createTables(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe_locks (token varchar(64) PRIMARY KEY,"
                    + " project_id varchar(255) NOT NULL, instance_id varchar(255) NOT NULL,"
                    + " released boolean NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS engine_copies (backup_id varchar(255) PRIMARY KEY,"
                    + " state varchar(16) NOT NULL)");
        }
    }

    private static int update(DataSource pool, String sql, String... values) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("test adapter table write failed", e);
        }
    }

    /** Whether the lock with this token was released. */
    static Optional<Boolean> released(DataSource pool, String token) {
        return text(pool, "SELECT released::text FROM probe_locks WHERE token = ?", token).map(Boolean::valueOf);
    }

    /** How many locks handed out in a project are not released. */
    static int unreleasedLocks(DataSource pool, String projectId) {
        return Integer.parseInt(text(pool, "SELECT COUNT(*)::text FROM probe_locks WHERE project_id = ? AND NOT released",
                projectId).orElseThrow());
    }

    /** The state of a backup's copy. */
    static Optional<String> copyState(DataSource pool, String backupId) {
        return text(pool, "SELECT state FROM engine_copies WHERE backup_id = ?", backupId);
    }

    private static Optional<String> text(DataSource pool, String sql, String value) {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test adapter table read failed", e);
        }
    }

    /** Every instance exists (an active MySQL primary); each verification hands out a lock recorded in a row. */
    static final class Probe implements InstanceProbe {
        private final DataSource pool;

        Probe(DataSource pool) {
            this.pool = pool;
        }

        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return Optional.of(new InstanceInfo(projectId, instanceId, InstanceStatus.ACTIVE, InstanceRole.PRIMARY,
                    new Datastore("MySQL", "8.0"), 10, 1 << 20, false, Set.of()));
        }

        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            String token = UUID.randomUUID().toString();
            update(pool, "INSERT INTO probe_locks (token, project_id, instance_id, released) VALUES (?, ?, ?, false)",
                    token, projectId, instanceId);
            return CompletableFuture.completedFuture(new Verification.Verified(new BackupLock(instanceId, token), 10));
        }

        @Override
        public void releaseLock(BackupLock lock) {
            update(pool, "UPDATE probe_locks SET released = true WHERE token = ?", lock.token());
        }
    }

    /** Copies recorded in rows; they complete at once, or, when held, run until stopped. */
    static final class Engine implements BackupEngine {
        private final DataSource pool;
        private final boolean hold;
        private final Consumer<String> onStart;

        Engine(DataSource pool, boolean hold, Consumer<String> onStart) {
            this.pool = pool;
            this.hold = hold;
            this.onStart = onStart;
        }

        @Override
        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            update(pool, "INSERT INTO engine_copies (backup_id, state) VALUES (?, 'RUNNING')", request.backupId());
            onStart.accept(request.backupId());
            CompletableFuture<Long> result = new CompletableFuture<>();
            if (!hold) {
                update(pool, "UPDATE engine_copies SET state = 'COMPLETED' WHERE backup_id = ?", request.backupId());
                result.complete(request.dataSizeBytes());
            }
            return () -> result;
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            update(pool, "UPDATE engine_copies SET state = 'STOPPED' WHERE backup_id = ?", backup.id());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            update(pool, "UPDATE engine_copies SET state = 'DELETED' WHERE backup_id = ?", backup.id());
            return CompletableFuture.completedFuture(null);
        }
    }
}
