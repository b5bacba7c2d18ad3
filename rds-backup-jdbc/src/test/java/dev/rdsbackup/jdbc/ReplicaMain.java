package dev.rdsbackup.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * A control-plane replica in a process of its own, for {@link KilledReplicaTest}: it creates one backup whose
 * copy never finishes, prints {@code COPYING <backup id>} once the copy runs, and waits to be killed.
 * Arguments: JDBC URL, user, password, table, project, instance, lease seconds.
 */
public final class ReplicaMain {

    private ReplicaMain() {
    }

    /**
     * Runs the replica.
     *
     * @param args URL, user, password, table, project, instance, lease seconds
     * @throws InterruptedException never in practice: the process is killed while it waits
     */
    public static void main(String[] args) throws InterruptedException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(3);
        HikariDataSource pool = new HikariDataSource(config);
        JdbcBackupStore store = JdbcBackupStore.builder(pool).table(args[3]).build();
        DefaultBackupService service = DefaultBackupService.builder()
                .store(store)
                .probe(new TableAdapters.Probe(pool))
                .engine(new TableAdapters.Engine(pool, true, id -> {
                    System.out.println("COPYING " + id);
                    System.out.flush();
                }))
                .clock(Clock.systemUTC())
                .scheduler(TaskScheduler.of(Executors.newScheduledThreadPool(2)))
                .replicaId("doomed-replica")
                .leaseDuration(Duration.ofSeconds(Long.parseLong(args[6])))
                .build();
        service.create(BackupRequest.builder().projectId(args[4]).instanceId(args[5]).name("doomed").build());
        Thread.currentThread().join(); // until killed
    }
}
