package dev.rdsbackup.examples;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The wiring of a control plane: {@link DefaultBackupService} over three adapters, a clock and a scheduler.
 *
 * <p>A real host passes its own adapters ({@code JdbcBackupStore}, {@code AgentInstanceProbe},
 * {@code XtraBackupEngine}...), {@code Clock.systemUTC()} and {@code TaskScheduler.of(executor)}. This demo
 * passes the testkit's in-memory fakes and virtual time instead, so it runs in an instant and the same seed
 * always prints the same output: nothing happens until the demo moves the clock with {@link #advance} or
 * {@link #awaitEnd}.
 */
public final class DemoControlPlane {

    /** How fast the fake engine copies in {@link #awaitEnd}: 100 MiB/s, the library's default estimate. */
    static final long COPY_SPEED = 100L * 1024 * 1024;
    private static final Duration TICK = Duration.ofSeconds(5);

    /** Virtual time, starting at 2026-01-01T00:00:00Z. */
    final SettableClock clock = new SettableClock();
    /** Runs the service's background work on this thread when virtual time moves. */
    final ManualScheduler scheduler = ManualScheduler.strict(clock);
    /** Where backup records live (a host: a table with unique indexes and a version column, JdbcBackupStore). */
    final BackupStore store;
    /** How instances are looked at and verified (a host: its inventory and a database agent). */
    final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    /** What copies the data (a host: xtrabackup, pg_basebackup, a storage snapshot...). */
    final FakeBackupEngine engine = new FakeBackupEngine();
    /** Prints every lifecycle event as it happens (a host: audit log and metrics). */
    final EventLog log;
    /** The manual-backup feature, as a host's API layer calls it. */
    final BackupService service;

    private final Map<String, Instant> copyStarts = new HashMap<>();

    /**
     * Wires the service.
     *
     * @param random the source of retry jitter; seeded, so runs repeat
     * @param out where lifecycle events are printed
     */
    public DemoControlPlane(RandomGenerator random, PrintStream out) {
        this(random, out, new InMemoryBackupStore());
    }

    /**
     * Wires the service to a store of the caller's (the demo's {@code --database} option).
     *
     * @param random the source of retry jitter; seeded, so runs repeat
     * @param out where lifecycle events are printed
     * @param store where backup records live
     */
    public DemoControlPlane(RandomGenerator random, PrintStream out, BackupStore store) {
        this.store = store;
        log = new EventLog(out, clock);
        engine.holdCopies(); // copies run until the demo moves them (see awaitEnd), as a real copy takes time
        AtomicLong nextId = new AtomicLong();
        service = DefaultBackupService.builder()
                .store(store)
                .probe(probe)
                .engine(engine)
                .clock(clock)
                .scheduler(scheduler)
                .listener(log)
                // The defaults, spelled out: two verification attempts, 30 s apart, give or take 20 %.
                .retryPolicy(RetryPolicy.builder().maxAttempts(2).delay(Duration.ofSeconds(30)).jitter(0.2).build())
                .random(random)
                .idGenerator(() -> String.format(Locale.ROOT, "bk-%04d", nextId.incrementAndGet()))
                .replicaId("demo-replica")
                .build();
    }

    /**
     * Moves virtual time forward, running the background work that falls due.
     *
     * @param amount how far
     */
    public void advance(Duration amount) {
        scheduler.advance(amount);
    }

    /** Runs the background work due now (verification, copy start...), without moving time. */
    public void settle() {
        scheduler.runPending();
    }

    /**
     * Moves virtual time forward until every one of these backups is {@code COMPLETED}, {@code FAILED} or
     * {@code CANCELLED}: what a real host gets by waiting on {@link BackupHandle#completion()}. On the way,
     * the fake engine's held copies advance at {@link #COPY_SPEED} and complete when all data is copied.
     *
     * @param handles the running backups
     */
    public void awaitEnd(BackupHandle... handles) {
        for (int tick = 0; !Arrays.stream(handles).allMatch(h -> h.completion().toCompletableFuture().isDone());
                tick++) {
            if (tick > 100_000) {
                throw new IllegalStateException("backups do not end");
            }
            scheduler.advance(TICK);
            for (String id : new TreeSet<>(engine.runningCopies())) { // sorted: the same order every run
                Instant start = copyStarts.computeIfAbsent(id, k -> clock.instant().minus(TICK));
                long total = engine.copyRequests().stream().filter(r -> r.backupId().equals(id))
                        .reduce((first, last) -> last).orElseThrow().dataSizeBytes();
                long copied = Math.min(total, COPY_SPEED * Duration.between(start, clock.instant()).toSeconds());
                if (copied < total) {
                    engine.progress(id, copied);
                } else {
                    engine.complete(id);
                }
            }
        }
    }
}
