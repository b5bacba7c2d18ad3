package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica in a JVM of its own starts a backup and is killed ({@code kill -9}) while the copy runs. The
 * surviving replica, sharing the PostgreSQL database (records, the probe's locks and the engine's copies all
 * live in it), reconciles the backup once the dead replica's lease has run out.
 */
@DisplayName("A replica killed mid-copy")
class KilledReplicaTest {

    private static final String TABLE = "kill_check";
    private static final int LEASE_SECONDS = 3;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("is reconciled by the survivor after its lease: FAILED INTERRUPTED, lock released, copy stopped,"
            + " instance usable again")
    void survivorReconcilesTheKilledReplicasBackup() throws Exception {
        String project = "kill-" + UUID.randomUUID();
        String instance = "i-1";
        try (HikariDataSource pool = TestDatabases.newPool(Kind.POSTGRESQL, 3, c -> { });
                Replicas replicas = new Replicas()) {
            JdbcBackupStore store = JdbcBackupStore.builder(pool).table(TABLE).createSchema(true).build();
            TableAdapters.createTables(pool);

            String backupId = startAndKill(project, instance);

            BackupRecord orphan = store.find(backupId).orElseThrow();
            assertThat(orphan.status()).isEqualTo(BackupStatus.BUILDING);
            assertThat(orphan.lock()).as("the dead replica held the backup lock").isNotNull();
            assertThat(TableAdapters.copyState(pool, backupId)).contains("RUNNING");

            DefaultBackupService survivor = replicas.replica("survivor", store, new TableAdapters.Probe(pool),
                    new TableAdapters.Engine(pool, false, id -> { }), Clock.systemUTC(),
                    Duration.ofSeconds(LEASE_SECONDS));
            Replicas.await("the orphan is reconciled", Duration.ofSeconds(30),
                    () -> store.find(backupId).orElseThrow().status() != BackupStatus.BUILDING,
                    survivor::recover);
            Replicas.await("the orphan's obligations are met", Duration.ofSeconds(30),
                    () -> store.find(backupId).orElseThrow().lease() == null, survivor::recover);

            BackupRecord reconciled = store.find(backupId).orElseThrow();
            assertThat(reconciled.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(reconciled.failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
            assertThat(reconciled.lock()).isNull();
            assertThat(TableAdapters.released(pool, orphan.lock().token())).as("the probe's lock").contains(true);
            assertThat(TableAdapters.copyState(pool, backupId)).as("the dead replica's copy").contains("STOPPED");

            BackupHandle next = survivor.create(BackupRequest.builder().projectId(project).instanceId(instance)
                    .name("after-the-crash").build());
            BackupRecord done = next.completion().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(TableAdapters.unreleasedLocks(pool, project)).as("locks still held in the project").isZero();
        }
    }

    /** Starts {@link ReplicaMain} in a JVM of its own, waits until its copy runs, kills it; answers the backup id. */
    private static String startAndKill(String project, String instance) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = Path.of("target", "killed-replica.log").toFile();
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ReplicaMain.class.getName(), TestDatabases.url(Kind.POSTGRESQL), "postgres", "postgres", TABLE,
                project, instance, Integer.toString(LEASE_SECONDS)))
                .redirectError(log)
                .start();
        try {
            CompletableFuture<String> copying = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("COPYING ")) {
                            return line.substring("COPYING ".length());
                        }
                    }
                    throw new IllegalStateException("the replica exited before copying; see " + log);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return copying.get(60, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no last write
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the replica died").isTrue();
        }
    }
}
