package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.api.spi.Verification;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Figure 3: 100,000 backups held BUILDING at once (verified, lock stored, copy running in a
 * {@code FakeBackupEngine} after {@code holdCopies()}), on one instance each.
 *
 * <p>Each method is one shot: it fills a fresh set-up, waits until it is steady, and reports through
 * {@link Footprint} the heap retained per backup (used heap after full collections, minus the same before)
 * and the threads added. The score is how long the shot took.
 * <ul>
 *   <li>{@code everything}: {@code DefaultBackupService} with {@code InMemoryBackupStore},
 *       {@code ScriptedInstanceProbe} and the holding {@code FakeBackupEngine}, on a 2-thread scheduled
 *       executor. Counts the store's records, the fakes' bookkeeping and the library's own state.</li>
 *   <li>{@code storeOnly}: the same 100,000 BUILDING records (with progress, lease and lock) put straight
 *       into a fresh {@code InMemoryBackupStore}.</li>
 *   <li>{@code adaptersOnly}: 100,000 verifications and held copies asked straight of the two fakes.</li>
 * </ul>
 * The library's own share is {@code everything - storeOnly - adaptersOnly}.
 *
 * <p>{@code executor}: {@code jdk} is {@code TaskScheduler.of(Executors.newScheduledThreadPool(2))} as the
 * service's javadoc shows; {@code removeOnCancel} is the same pool with
 * {@code setRemoveOnCancelPolicy(true)}, which drops the cancelled verification-timeout tasks at once
 * instead of keeping them queued until their (1 minute) delay passes.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@State(Scope.Benchmark)
public class InFlightBenchmark {
    /** Backups held in flight. */
    public static final int BACKUPS = 100_000;

    /** How the scheduled executor treats cancelled tasks. */
    @Param({"jdk", "removeOnCancel"})
    public String executor;

    private final String[] instanceIds = Fixtures.instanceIds(BACKUPS);
    private final Validator validator = Fixtures.hibernateValidator();
    private ScheduledThreadPoolExecutor pool;
    private ScriptedInstanceProbe probe;
    private FakeBackupEngine engine;
    private InMemoryBackupStore store;
    private DefaultBackupService service;
    private int threadsBefore;
    private long heapBefore;

    /**
     * What one shot leaves behind, reported as secondary results. JMH adds {@code EVENTS} counters over the
     * measured shots, so each shot reports its value divided by the number of measured shots: the result
     * is the mean per shot.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Footprint {
        private int shots = 1;
        /** Heap retained per in-flight backup, bytes. */
        public double bytesPerBackup;
        /** Threads alive after the shot minus before the executor existed. */
        public double threadsAdded;
        /** Backups the library reports in flight (sanity). */
        public double inFlight;

        /**
         * Learns how many shots are measured.
         *
         * @param params the run's parameters
         */
        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            shots = Math.max(1, params.getMeasurement().getCount());
        }

        void set(double bytes, double threads, double backupsInFlight) {
            bytesPerBackup = bytes / shots;
            threadsAdded = threads / shots;
            inFlight = backupsInFlight / shots;
        }
    }

    /** Fresh fakes, executor and service; measures the heap and threads before. */
    @Setup(Level.Iteration)
    public void setUp() {
        threadsBefore = Fixtures.liveThreads();
        probe = new ScriptedInstanceProbe();
        for (String id : instanceIds) {
            probe.addInstance(Fixtures.PROJECT, id);
        }
        engine = new FakeBackupEngine().holdCopies();
        store = new InMemoryBackupStore();
        pool = new ScheduledThreadPoolExecutor(2);
        pool.setRemoveOnCancelPolicy("removeOnCancel".equals(executor));
        service = DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine)
                .clock(Clock.systemUTC())
                .scheduler(TaskScheduler.of(pool))
                .validator(validator)
                .build();
        heapBefore = Fixtures.usedHeapAfterGc();
    }

    /** Lets everything go. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        pool.shutdownNow();
        pool = null;
        probe = null;
        engine = null;
        store = null;
        service = null;
    }

    /** The library with store and fakes, 100,000 backups in flight. */
    @Benchmark
    public void everything(Footprint footprint) throws InterruptedException {
        for (int i = 0; i < BACKUPS; i++) {
            service.create(BackupRequest.builder().projectId(Fixtures.PROJECT).instanceId(instanceIds[i])
                    .name("held-" + i).build());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engine.runningCopies().size() < BACKUPS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + engine.runningCopies().size() + " copies started");
            }
            Thread.sleep(20);
        }
        report(footprint, service.inFlight());
    }

    /** The same records straight in a store. */
    @Benchmark
    public void storeOnly(Footprint footprint) {
        Instant now = Instant.now();
        Lease lease = new Lease("replica-bench", now.plus(Duration.ofMinutes(2)));
        for (int i = 0; i < BACKUPS; i++) {
            String instance = instanceIds[i];
            BackupRecord record = BackupRecord.builder()
                    .id(UUID.randomUUID().toString())
                    .projectId(Fixtures.PROJECT)
                    .instanceId(instance)
                    .name("held-" + i)
                    .type(dev.rdsbackup.api.BackupType.MANUAL)
                    .status(BackupStatus.BUILDING)
                    .datastore(Fixtures.DATASTORE)
                    .databases(List.of())
                    .beginTime(now)
                    .progress(new BackupProgress(0, 0, 1L << 30, now.plusSeconds(11)))
                    .attempts(1)
                    .lease(lease)
                    .lock(new BackupLock(instance, "scripted-lock-" + i))
                    .build();
            if (!(store.create(record) instanceof CreateResult.Created)) {
                throw new IllegalStateException("not created");
            }
        }
        report(footprint, 0);
    }

    /** The fakes' own bookkeeping for 100,000 verifications and held copies. */
    @Benchmark
    public void adaptersOnly(Footprint footprint) {
        for (int i = 0; i < BACKUPS; i++) {
            String instance = instanceIds[i];
            Verification v = probe.verify(Fixtures.PROJECT, instance).toCompletableFuture().join();
            BackupLock lock = ((Verification.Verified) v).lock();
            engine.startCopy(new CopyRequest(UUID.randomUUID().toString(), Fixtures.PROJECT, instance,
                    Fixtures.DATASTORE, List.of(), lock, 100, 1L << 30), progress -> { });
        }
        report(footprint, 0);
    }

    private void report(Footprint footprint, int inFlight) {
        long after = Fixtures.usedHeapAfterGc();
        footprint.set((double) (after - heapBefore) / BACKUPS, Fixtures.liveThreads() - threadsBefore, inFlight);
    }
}
