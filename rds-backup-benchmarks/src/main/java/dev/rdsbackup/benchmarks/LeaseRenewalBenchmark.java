package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Figure 6: one lease-renewal period of a replica with 100,000 backups in flight (verified, lock stored,
 * copy held by {@code FakeBackupEngine.holdCopies()}), on {@code InMemoryBackupStore}, in virtual time.
 * Each shot is one period; the score is its time, and {@link Calls} reports the store calls it made.
 * <ul>
 *   <li>{@code libraryPeriod}: the service's own renewal: moving virtual time by one renewal period (a third
 *       of the lease) runs the renewal task, which renews every lease with one
 *       {@code BackupStore.renewLeases} call and then looks at each in-flight backup once.</li>
 *   <li>{@code baselinePerRecordCompareAndSet}: the 0.1.0 way, one {@code find} and one
 *       {@code compareAndSet} per backup (200,000 store calls).</li>
 *   <li>{@code baselineDefaultRenewLeases}: {@code renewLeases} of a store that does not override it, so the
 *       SPI's default (find and compare-and-set per record) runs: what a host store without a bulk renewal
 *       pays.</li>
 *   <li>{@code storeBulkRenewalAlone}: the in-memory store's one-call renewal of the same leases, alone: the
 *       store's share of {@code libraryPeriod}; the rest is the library's own work in the period.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@State(Scope.Benchmark)
public class LeaseRenewalBenchmark {
    /** Backups in flight. */
    public static final int BACKUPS = 100_000;
    static final Duration LEASE = Duration.ofMinutes(2);
    static final String REPLICA = "replica-bench";

    private final SettableClock clock = new SettableClock();
    private ManualScheduler scheduler;
    private CountingStore store;
    private BackupStore withDefaultRenewal;
    private final List<String> ids = new ArrayList<>(BACKUPS);

    /** Store calls of one shot (JMH sums EVENTS over the measured shots: each adds its share). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Calls {
        private int shots = 1;
        /** Store calls in one renewal period. */
        public double storeCalls;
        /** Of which {@code renewLeases}. */
        public double renewLeasesCalls;

        /**
         * Learns how many shots are measured.
         *
         * @param params the run's parameters
         */
        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            shots = Math.max(1, params.getMeasurement().getCount());
        }

        void add(long calls, long renewals) {
            storeCalls += (double) calls / shots;
            renewLeasesCalls += (double) renewals / shots;
        }
    }

    /** 100,000 backups in flight on one replica, all leased to it. */
    @Setup(Level.Trial)
    public void setUp() {
        String[] instances = Fixtures.instanceIds(BACKUPS);
        ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        for (String id : instances) {
            probe.addInstance(Fixtures.PROJECT, id);
        }
        FakeBackupEngine engine = new FakeBackupEngine().holdCopies();
        store = new CountingStore(new InMemoryBackupStore());
        withDefaultRenewal = new WithoutBulkRenewal(store);
        scheduler = new ManualScheduler(clock);
        DefaultBackupService service = DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine).clock(clock).scheduler(scheduler)
                .validator(Fixtures.hibernateValidator())
                .replicaId(REPLICA)
                .leaseDuration(LEASE)
                .stallTimeout(DefaultBackupService.Builder.MAX_DURATION)
                .recoveryInterval(DefaultBackupService.Builder.MAX_DURATION)
                .build();
        for (int i = 0; i < BACKUPS; i++) {
            ids.add(service.create(BackupRequest.builder().projectId(Fixtures.PROJECT).instanceId(instances[i])
                    .name("held-" + i).build()).backupId());
        }
        scheduler.runPending();
        if (engine.runningCopies().size() != BACKUPS || service.inFlight() != BACKUPS) {
            throw new IllegalStateException(engine.runningCopies().size() + " copies running, "
                    + service.inFlight() + " in flight");
        }
    }

    /** The service's renewal: virtual time moves by one period (a third of the lease). */
    @Benchmark
    public int libraryPeriod(Calls calls) {
        long before = store.calls;
        long renewalsBefore = store.renewals;
        int ran = scheduler.advance(LEASE.dividedBy(3));
        calls.add(store.calls - before, store.renewals - renewalsBefore);
        return ran;
    }

    /** The 0.1.0 way: find and compare-and-set, per backup. */
    @Benchmark
    public int baselinePerRecordCompareAndSet(Calls calls) {
        long before = store.calls;
        Lease lease = new Lease(REPLICA, clock.instant().plus(LEASE));
        int renewed = 0;
        for (String id : ids) {
            BackupRecord current = store.find(id).orElseThrow();
            if (store.compareAndSet(current.toBuilder().lease(lease).build(), current.version()).isPresent()) {
                renewed++;
            }
        }
        calls.add(store.calls - before, 0);
        return renewed;
    }

    /** The in-memory store's own bulk renewal of the 100,000 leases, alone: the store's share of a period. */
    @Benchmark
    public int storeBulkRenewalAlone(Calls calls) {
        long before = store.calls;
        int renewed = store.renewLeases(REPLICA, ids, clock.instant().plus(LEASE));
        calls.add(store.calls - before, 1);
        return renewed;
    }

    /** The SPI's default {@code renewLeases}, for a store without a bulk renewal. */
    @Benchmark
    public int baselineDefaultRenewLeases(Calls calls) {
        long before = store.calls;
        int renewed = withDefaultRenewal.renewLeases(REPLICA, ids, clock.instant().plus(LEASE));
        calls.add(store.calls - before, 0);
        return renewed;
    }

    /** Counts every call; single-threaded here (the manual scheduler runs on the benchmark thread). */
    static final class CountingStore implements BackupStore {
        private final InMemoryBackupStore delegate;
        long calls;
        long renewals;

        CountingStore(InMemoryBackupStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public CreateResult create(BackupRecord record) {
            calls++;
            return delegate.create(record);
        }

        @Override
        public Optional<BackupRecord> find(String backupId) {
            calls++;
            return delegate.find(backupId);
        }

        @Override
        public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
            calls++;
            return delegate.findByClientToken(projectId, clientToken);
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            calls++;
            return delegate.compareAndSet(next, expectedVersion);
        }

        @Override
        public boolean delete(String backupId, long expectedVersion) {
            calls++;
            return delegate.delete(backupId, expectedVersion);
        }

        @Override
        public BackupPage query(BackupQuery query) {
            calls++;
            return delegate.query(query);
        }

        @Override
        public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            calls++;
            return delegate.findExpiredLeases(now, afterId, limit);
        }

        @Override
        public int renewLeases(String owner, Collection<String> backupIds, Instant expiresAt) {
            calls++;
            renewals++;
            return delegate.renewLeases(owner, backupIds, expiresAt);
        }
    }

    /** A store that keeps the SPI's default {@code renewLeases}. */
    static final class WithoutBulkRenewal implements BackupStore {
        private final BackupStore delegate;

        WithoutBulkRenewal(BackupStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public CreateResult create(BackupRecord record) {
            return delegate.create(record);
        }

        @Override
        public Optional<BackupRecord> find(String backupId) {
            return delegate.find(backupId);
        }

        @Override
        public Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
            return delegate.findByClientToken(projectId, clientToken);
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            return delegate.compareAndSet(next, expectedVersion);
        }

        @Override
        public boolean delete(String backupId, long expectedVersion) {
            return delegate.delete(backupId, expectedVersion);
        }

        @Override
        public BackupPage query(BackupQuery query) {
            return delegate.query(query);
        }

        @Override
        public List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return delegate.findExpiredLeases(now, afterId, limit);
        }
    }
}
