package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.jdbc.FaultyDataSource.Fault;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults from a real driver under a real service: commits that land and then lose the connection, and
 * statements the database aborts. A host retries a create with its client token after an error, as the API
 * says it may; a second, healthy replica reconciles whatever a failed write left behind once its lease ended.
 * Nothing is lost and no lock leaks.
 */
@DisplayName("Faults from the driver")
class DriverFaultTest {

    private static final int BACKUPS = 16;

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("a commit that lands and then drops the connection loses no backup and leaks no lock")
    void commitThenDrop(Kind kind) {
        try (HikariDataSource pool = TestDatabases.newPool(kind, 4, c -> { });
                HikariDataSource healthyPool = TestDatabases.newPool(kind, 2, c -> { });
                Replicas replicas = new Replicas()) {
            FaultyDataSource faulty = new FaultyDataSource(pool, Fault.DROP_AFTER_COMMIT, 4);
            ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
            FakeBackupEngine engine = new FakeBackupEngine();
            JdbcBackupStore store = JdbcBackupStore.builder(faulty).table("fault_check").createSchema(true).build();
            JdbcBackupStore healthy = JdbcBackupStore.builder(healthyPool).table("fault_check").build();
            faulty.arm();
            Duration lease = Duration.ofMinutes(2);
            DefaultBackupService service = replicas.replica("faulty", store, probe, engine, Clock.systemUTC(), lease);
            // The healthy replica lives past the faulty one's leases: its reconciler takes over at once whatever a
            // failed write left without an owner. It runs only while the faulty replica has nothing in flight.
            DefaultBackupService survivor = replicas.replica("healthy", healthy, probe, engine,
                    Clock.offset(Clock.systemUTC(), lease.multipliedBy(5)), lease);
            Runnable reconcile = () -> {
                if (service.inFlight() == 0) {
                    survivor.recover();
                }
            };
            String project = "fault-" + UUID.randomUUID();

            List<String> tokens = createAll(service, probe, project);
            Replicas.await("every backup ended", Duration.ofSeconds(60),
                    () -> Replicas.settled(healthy, project), reconcile);

            List<BackupRecord> records = new ArrayList<>();
            for (String token : tokens) {
                records.add(healthy.findByClientToken(project, token).orElseThrow(
                        () -> new AssertionError("the backup created with " + token + " is lost")));
            }
            assertThat(records).allSatisfy(r -> {
                assertThat(r.status()).isIn(BackupStatus.COMPLETED, BackupStatus.FAILED);
                assertThat(r.lock()).isNull();
            });
            assertThat(Replicas.all(healthy, project)).hasSize(BACKUPS);

            List<String> toDelete = records.stream().filter(r -> r.status() == BackupStatus.COMPLETED)
                    .map(BackupRecord::id).limit(BACKUPS / 2).toList();
            for (String id : toDelete) {
                retrying(() -> service.delete(project, id), ErrorCode.BACKUP_STATUS_CONFLICT);
            }
            Replicas.await("every deletion finished", Duration.ofSeconds(60),
                    () -> Replicas.settled(healthy, project), reconcile);

            List<BackupRecord> kept = Replicas.all(healthy, project);
            assertThat(kept).hasSize(BACKUPS - toDelete.size()).noneMatch(r -> toDelete.contains(r.id()));
            assertThat(Replicas.counted(healthyPool, healthy, project)).as("the counts table")
                    .isEqualTo(Replicas.countedByHand(kept));
            assertThat(probe.heldLocks()).as("locks the probe still holds").isEmpty();
            assertThat(faulty.injectedAfter("create")).as("faults after a create landed").isPositive();
            assertThat(faulty.injectedAfter("delete")).as("faults after a delete landed").isPositive();
            assertThat(faulty.injectedAfter("update")).as("faults after a compare-and-set landed").isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("serialization failures and deadlocks are retried by the store: the service never sees them")
    void serializationFailures(Kind kind) {
        try (HikariDataSource pool = TestDatabases.newPool(kind, 4, c -> { });
                Replicas replicas = new Replicas()) {
            FaultyDataSource faulty = new FaultyDataSource(pool, Fault.SERIALIZATION_FAILURE, 3);
            ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
            JdbcBackupStore store = JdbcBackupStore.builder(faulty).table("fault_check").createSchema(true).build();
            faulty.arm();
            BackupService service = replicas.replica("retrying", store, probe, new FakeBackupEngine(),
                    Clock.systemUTC(), Duration.ofMinutes(2));
            String project = "abort-" + UUID.randomUUID();
            List<BackupHandle> handles = new ArrayList<>();

            for (int i = 0; i < BACKUPS; i++) {
                probe.addInstance(project, "i-" + i);
                handles.add(service.create(BackupRequest.builder().projectId(project).instanceId("i-" + i)
                        .name("nightly").build()));
            }
            Replicas.await("every backup ended", Duration.ofSeconds(30), () -> Replicas.settled(store, project),
                    () -> { });

            for (BackupHandle handle : handles) {
                assertThat(store.find(handle.backupId()).orElseThrow().status()).isEqualTo(BackupStatus.COMPLETED);
            }
            assertThat(probe.heldLocks()).isEmpty();
            assertThat(faulty.injected()).as("faults injected").isGreaterThan(BACKUPS);
            assertThat(faulty.injectedAfter("create")).as("creates aborted").isGreaterThanOrEqualTo(BACKUPS / 3);
            assertThat(Replicas.counted(pool, store, project)).as("the counts table, one per instance")
                    .isEqualTo(Replicas.countedByHand(Replicas.all(store, project)))
                    .hasSize(BACKUPS);
        }
    }

    private static List<String> createAll(BackupService service, ScriptedInstanceProbe probe, String project) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < BACKUPS; i++) {
            probe.addInstance(project, "i-" + i);
            String token = "token-" + i;
            tokens.add(token);
            BackupRequest request = BackupRequest.builder().projectId(project).instanceId("i-" + i)
                    .name("nightly").clientToken(token).build();
            retrying(() -> service.create(request), null);
        }
        return tokens;
    }

    /** Calls until the service stops answering "unavailable", as a host retrying an idempotent call would. */
    private static <T> void retrying(Supplier<T> call, ErrorCode alsoFine) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.get();
                return;
            } catch (BackupException e) {
                if (e.code() == alsoFine) {
                    return;
                }
                if (e.code() != ErrorCode.SERVICE_UNAVAILABLE || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
