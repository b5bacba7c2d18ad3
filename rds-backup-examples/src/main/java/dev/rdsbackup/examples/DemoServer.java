package dev.rdsbackup.examples;

import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.http.RdsBackupHttpServer;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's {@code serve} mode: the same control plane as the scenario (in-memory adapters), but in real time and
 * behind the public RDS API v3 on the JDK's HTTP server, on loopback, without authentication
 * ({@link RdsBackupHttpServer.Builder#insecureLocalOnlyNoAuthentication()}). It prints the calls to paste and every
 * lifecycle event as it happens. Copies take a few seconds (the fake engine copies 1 GiB a second), so a backup
 * can be seen {@code BUILDING}, cancelled or listed as it completes.
 */
public final class DemoServer implements AutoCloseable {

    static final String PROJECT = "proj-demo";
    private static final long GIB = 1L << 30;
    private static final long COPY_SPEED = GIB;

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2, r -> {
        Thread t = new Thread(r, "demo-control-plane");
        t.setDaemon(true);
        return t;
    });
    private final FakeBackupEngine engine = new FakeBackupEngine().holdCopies();
    private final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    private final Map<String, Long> copied = new HashMap<>();
    private final RdsBackupHttpServer server;
    private final PrintStream out;

    private DemoServer(ServeOptions options, PrintStream out) {
        this.out = out;
        executor.setRemoveOnCancelPolicy(true);
        Clock clock = Clock.systemUTC();
        probe.addInstance(PROJECT, "mysql-orders").datastore("MySQL", "8.0").dataSizeBytes(12 * GIB);
        probe.addInstance(PROJECT, "mysql-orders-ro").datastore("MySQL", "8.0").role(InstanceRole.READ_REPLICA);
        probe.addInstance(PROJECT, "pg-analytics").datastore("PostgreSQL", "16").dataSizeBytes(6 * GIB)
                .partialBackupSupported(true).databases("sales", "hr");
        AtomicLong nextId = new AtomicLong();
        BackupService service = DefaultBackupService.builder()
                .store(new InMemoryBackupStore())
                .probe(probe)
                .engine(engine)
                .clock(clock)
                .scheduler(TaskScheduler.of(executor))
                .listener(new EventLog(out, clock))
                .idGenerator(() -> String.format(Locale.ROOT, "bk-%04d", nextId.incrementAndGet()))
                .build();
        executor.scheduleAtFixedRate(this::copy, 1, 1, TimeUnit.SECONDS);
        server = RdsBackupHttpServer.builder()
                .service(service)
                .insecureLocalOnlyNoAuthentication()
                .port(options.port())
                .threads(4)
                .build()
                .start();
    }

    /**
     * Starts serving and prints how to call it.
     *
     * @param options the port
     * @param out where the banner and the events go
     * @return the running server; {@link #close()} stops it
     */
    public static DemoServer start(ServeOptions options, PrintStream out) {
        DemoServer s = new DemoServer(options, out);
        s.banner();
        return s;
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Moves every running copy on by a second's worth of data, completing those that are done. */
    private void copy() {
        for (String id : new TreeSet<>(engine.runningCopies())) {
            long total = engine.copyRequests().stream().filter(r -> r.backupId().equals(id))
                    .reduce((first, last) -> last).orElseThrow().dataSizeBytes();
            long done = copied.merge(id, COPY_SPEED, Long::sum);
            if (done < total) {
                engine.progress(id, done);
            } else {
                engine.complete(id);
            }
        }
    }

    private void banner() {
        String base = "http://127.0.0.1:" + port() + "/v3/" + PROJECT + "/backups";
        String json = " -H 'Content-Type: application/json' -d ";
        out.println("rds-backup demo server: the RDS API v3 for manual backups on " + base);
        out.println("In-memory adapters, real time, NO AUTHENTICATION (loopback only). Project " + PROJECT
                + "; instances mysql-orders (MySQL 8.0, 12 GiB), mysql-orders-ro (its read replica),");
        out.println("pg-analytics (PostgreSQL 16, 6 GiB, databases sales and hr). Copies run at 1 GiB/s.");
        out.println();
        out.println("Try (backup ids are bk-0001, bk-0002, ...):");
        out.println("  curl -s -X POST " + base + json + "'{\"instance_id\":\"mysql-orders\",\"name\":\"before-upgrade\"}'");
        out.println("  curl -s '" + base + "?instance_id=mysql-orders'");
        out.println("  curl -s " + base + "/bk-0001");
        out.println("  curl -s -X POST " + base + json
                + "'{\"instance_id\":\"pg-analytics\",\"name\":\"sales-only\",\"databases\":[{\"name\":\"sales\"}]}'");
        out.println("  curl -s -X POST " + base + "/bk-0002/cancel");
        out.println("  curl -s -X DELETE -i " + base + "/bk-0001");
        out.println("  curl -s -X POST " + base + "/batch-delete" + json + "'{\"backup_ids\":[\"bk-0002\",\"bk-0009\"]}'");
        out.println("  curl -s -X POST " + base + json + "'{\"instance_id\":\"mysql-orders-ro\",\"name\":\"x!\"}'");
        out.println("  curl -s '" + base + "?limit=500&begin_time=2026-01-01T00:00:00%2B0000'");
        out.println();
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** Stops the server and the control plane's threads. */
    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
        executor.shutdownNow();
    }
}
