package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-set is one statement whose parameters keep their types whatever is null: the driver then keeps
 * one server-side prepared statement for it, and PostgreSQL plans it once instead of at every write. A lifecycle
 * sets an end time and clears a lease, so a null bound with another type than a value made PgJDBC prepare the
 * statement anew at nearly every write (about twice the cost of each).
 */
@DisplayName("PostgreSQL: the compare-and-set is prepared once and reused across a lifecycle's writes")
class PreparedStatementReuseTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    @DisplayName("one server-side statement runs every compare-and-set of 20 lifecycles")
    void oneStatementForEveryWrite() throws SQLException {
        // One connection, so every write and the read of the session's prepared statements share a session.
        try (HikariDataSource one = TestDatabases.newPool(Kind.POSTGRESQL, 1, config -> { })) {
            JdbcBackupStore store = JdbcBackupStore.builder(one).table("reuse_check").createSchema(true).build();
            int lifecycles = 20;
            for (int i = 0; i < lifecycles; i++) {
                BackupRecord building = BackupRecord.builder().id("reuse-" + i + "-" + System.nanoTime())
                        .projectId("p").instanceId("i-" + i).name("n-" + i + "-" + System.nanoTime())
                        .type(BackupType.MANUAL).status(BackupStatus.BUILDING).datastore(new Datastore("MySQL", "8.0"))
                        .databases(List.of()).beginTime(T0).lease(new Lease("replica-a", T0.plusSeconds(120))).build();
                store.create(building);
                BackupRecord locked = store.compareAndSet(building.toBuilder().attempts(1)
                        .lock(new BackupLock("i-" + i, "token")).build(), 0).orElseThrow();
                BackupRecord completed = store.compareAndSet(locked.toBuilder().status(BackupStatus.COMPLETED)
                        .endTime(T0.plusSeconds(60)).sizeBytes(1024).build(), 1).orElseThrow();
                store.compareAndSet(completed.toBuilder().lock(null).lease(null).build(), 2).orElseThrow();
            }

            long executions;
            try (Connection c = one.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT coalesce(max(generic_plans + custom_plans), 0)"
                    + " FROM pg_prepared_statements WHERE statement LIKE 'UPDATE \"reuse_check\" SET description%'");
                 ResultSet r = s.executeQuery()) {
                r.next();
                executions = r.getLong(1);
            }
            // The driver prepares on the server from the 5th execution on (prepareThreshold): of 60 writes, at
            // least 55 run the one statement when its parameter types never change.
            assertThat(executions).as("writes run by the most used server-side compare-and-set")
                    .isGreaterThanOrEqualTo(3L * lifecycles - 5);
        }
    }
}
