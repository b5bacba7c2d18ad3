package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Figure 2: backups created and driven to COMPLETED per second, over 10,000 instances, on 1 and 2 threads.
 *
 * <p>{@code library*}: {@code DefaultBackupService.create} with the testkit's {@code InMemoryBackupStore}, a
 * probe that verifies at once and an engine that copies at once ({@link Fixtures.LeanProbe},
 * {@link Fixtures.InstantEngine}), and a scheduler that runs immediate work on the calling thread
 * ({@link Fixtures#inline}): each call returns after the backup's whole lifecycle (validate, describe,
 * store create, verify, store the lock, copy, store COMPLETED, release the lock, complete the handle).
 * The benchmark checks the answer is COMPLETED. Logging is off (slf4j-nop).
 *
 * <p>{@code oneLock*}: the same library run on the in-memory store behind one store-wide lock, as the
 * testkit's store was in 0.1.0 ({@link Fixtures.OneLockStore}): the baseline of the store's own scaling.
 *
 * <p>{@code bare*}: the least a control plane could do: validate with the same Hibernate Validator, build the
 * BUILDING record, one {@code ConcurrentHashMap} insert, two compare-and-set updates (lock stored, then
 * COMPLETED). Same request, same ids ({@code UUID.randomUUID()}, the library's default).
 *
 * <p>One backup may be active per instance, so each thread takes its own share of the instances round-robin
 * and names come from a per-thread counter; with the instant engine the instance's previous backup is
 * COMPLETED before the next create. Store and maps are fresh each iteration.
 *
 * <p>{@code unshared*}: the machine's ceiling, sharing nothing between threads (see {@link Unshared}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
// A create runs a deep call graph (Hibernate Validator, the store's indexes): two 1-second warm-ups left the
// JIT unfinished and each measured iteration faster than the last, so this class warms up longer.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
public class CreateThroughputBenchmark {
    /** Instances the creates cycle through. */
    public static final int INSTANCES = 10_000;

    /** The library wired to in-memory adapters; rebuilt every iteration. */
    @State(Scope.Benchmark)
    public static class Library {
        final String[] instanceIds = Fixtures.instanceIds(INSTANCES);
        final Fixtures.LeanProbe probe = new Fixtures.LeanProbe(instanceIds);
        final Validator validator = Fixtures.hibernateValidator();
        ScheduledThreadPoolExecutor timer;
        DefaultBackupService service;

        /** A fresh store and service. */
        @Setup(Level.Iteration)
        public void setUp() {
            timer = Fixtures.timer();
            service = DefaultBackupService.builder()
                    .store(store())
                    .probe(probe)
                    .engine(new Fixtures.InstantEngine())
                    .clock(Clock.systemUTC())
                    .scheduler(Fixtures.inline(timer))
                    .validator(validator)
                    .build();
        }

        /** The store of one iteration. */
        BackupStore store() {
            return new InMemoryBackupStore();
        }

        /** Stops the timer. */
        @TearDown(Level.Iteration)
        public void tearDown() {
            timer.shutdownNow();
            service = null;
        }
    }

    /** The library on the in-memory store behind one store-wide lock (the 0.1.0 store's behaviour). */
    @State(Scope.Benchmark)
    public static class OneLockLibrary extends Library {
        @Override
        BackupStore store() {
            return new Fixtures.OneLockStore(new InMemoryBackupStore());
        }
    }

    /** The bare baseline's state: one map. */
    @State(Scope.Benchmark)
    public static class Bare {
        final String[] instanceIds = Fixtures.instanceIds(INSTANCES);
        final Validator validator = Fixtures.hibernateValidator();
        final Clock clock = Clock.systemUTC();
        ConcurrentHashMap<String, BackupRecord> records;

        /** A fresh map. */
        @Setup(Level.Iteration)
        public void setUp() {
            records = new ConcurrentHashMap<>();
        }
    }

    /**
     * The machine's own ceiling, with nothing shared between threads: each operation allocates about what a
     * library create allocates, keeps about what the store keeps of a backup (in a list of its own thread) and
     * spends some CPU. Its 2-thread figure over its 1-thread figure is what this machine's cores, its garbage
     * collector and the JIT let a benchmark of this shape reach when nothing is shared.
     */
    @State(Scope.Thread)
    public static class Unshared {
        /** Bytes allocated and dropped per operation (a library create allocates about 10 KB). */
        static final int GARBAGE = 9 * 1024;
        /** Bytes kept per operation (the store's record and index entries of one backup, about 1 KB). */
        static final int KEPT = 1024;
        List<byte[]> kept;

        /** A fresh list each iteration, as the store is fresh. */
        @Setup(Level.Iteration)
        public void setUp() {
            kept = new ArrayList<>();
        }
    }

    /** Which instance and name a thread uses next. */
    @State(Scope.Thread)
    public static class Cursor {
        int thread;
        int threads;
        int next;
        long counter;

        /**
         * Takes this thread's share of the instances.
         *
         * @param params JMH's thread parameters
         */
        @Setup(Level.Iteration)
        public void setUp(ThreadParams params) {
            thread = params.getThreadIndex();
            threads = params.getThreadCount();
            next = 0;
        }

        BackupRequest next(String[] instanceIds) {
            int share = instanceIds.length / threads;
            String instance = instanceIds[thread + threads * (next++ % share)];
            return BackupRequest.builder().projectId(Fixtures.PROJECT).instanceId(instance)
                    .name("bk-" + thread + "-" + (counter++)).build();
        }
    }

    /** The library, one thread. */
    @Benchmark
    @Threads(1)
    public BackupRecord library1Thread(Library l, Cursor c) {
        return library(l, c);
    }

    /** The library, two threads. */
    @Benchmark
    @Threads(2)
    public BackupRecord library2Threads(Library l, Cursor c) {
        return library(l, c);
    }

    /** The library on a one-lock store, one thread. */
    @Benchmark
    @Threads(1)
    public BackupRecord oneLock1Thread(OneLockLibrary l, Cursor c) {
        return library(l, c);
    }

    /** The library on a one-lock store, two threads. */
    @Benchmark
    @Threads(2)
    public BackupRecord oneLock2Threads(OneLockLibrary l, Cursor c) {
        return library(l, c);
    }

    /** The bare baseline, one thread. */
    @Benchmark
    @Threads(1)
    public BackupRecord bare1Thread(Bare b, Cursor c) {
        return bare(b, c);
    }

    /** The bare baseline, two threads. */
    @Benchmark
    @Threads(2)
    public BackupRecord bare2Threads(Bare b, Cursor c) {
        return bare(b, c);
    }

    /** The machine's ceiling (see {@link Unshared}), one thread. */
    @Benchmark
    @Threads(1)
    public int unshared1Thread(Unshared u, Blackhole hole) {
        return unshared(u, hole);
    }

    /** The machine's ceiling (see {@link Unshared}), two threads. */
    @Benchmark
    @Threads(2)
    public int unshared2Threads(Unshared u, Blackhole hole) {
        return unshared(u, hole);
    }

    private static int unshared(Unshared u, Blackhole hole) {
        hole.consume(new byte[Unshared.GARBAGE]);
        byte[] kept = new byte[Unshared.KEPT];
        u.kept.add(kept);
        Blackhole.consumeCPU(5_000);
        return kept.length;
    }

    private static BackupRecord library(Library l, Cursor c) {
        BackupHandle handle = l.service.create(c.next(l.instanceIds));
        BackupRecord done = handle.completion().toCompletableFuture().getNow(null);
        if (done == null || done.status() != BackupStatus.COMPLETED) {
            throw new IllegalStateException("backup not completed inline: " + done);
        }
        return done;
    }

    private static BackupRecord bare(Bare b, Cursor c) {
        BackupRequest request = c.next(b.instanceIds);
        if (!b.validator.validate(request).isEmpty()) {
            throw new IllegalStateException("invalid request");
        }
        Instant now = b.clock.instant();
        BackupRecord building = BackupRecord.builder()
                .id(UUID.randomUUID().toString())
                .projectId(request.projectId())
                .instanceId(request.instanceId())
                .name(request.name())
                .description(request.description())
                .type(request.type())
                .status(BackupStatus.BUILDING)
                .datastore(Fixtures.DATASTORE)
                .databases(request.databases())
                .beginTime(now)
                .build();
        if (b.records.putIfAbsent(building.id(), building) != null) {
            throw new IllegalStateException("duplicate id");
        }
        BackupRecord locked = building.toBuilder().lock(new BackupLock(request.instanceId(), "lock"))
                .attempts(1).version(1).build();
        if (!b.records.replace(building.id(), building, locked)) {
            throw new IllegalStateException("lost the lock write");
        }
        BackupRecord completed = locked.toBuilder().status(BackupStatus.COMPLETED).lock(null)
                .endTime(b.clock.instant()).sizeBytes(1L << 30).version(2).build();
        if (!b.records.replace(building.id(), locked, completed)) {
            throw new IllegalStateException("lost the final write");
        }
        return completed;
    }
}
