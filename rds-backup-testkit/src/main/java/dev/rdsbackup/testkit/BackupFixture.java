package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A real {@link DefaultBackupService} wired to the testkit's fakes and to virtual time, in one line:
 *
 * <pre>{@code
 * BackupFixture f = BackupFixture.create();
 * f.addInstance("db-1");
 * BackupHandle h = f.service().create(f.request("db-1", "nightly").build());
 * f.advance(Duration.ofMinutes(1));
 * assertEquals(BackupStatus.COMPLETED, f.get(h.backupId()).status());
 * }</pre>
 *
 * <p>What it wires: an {@link InMemoryBackupStore} (or the host's own store, through
 * {@link Builder#store(BackupStore)}), a {@link ScriptedInstanceProbe}, a
 * {@link FakeBackupEngine} (completing copies at once unless told to hold them), a {@link RecordingListener},
 * a {@link SettableClock} at {@link SettableClock#DEFAULT_START} and a strict {@link ManualScheduler} owned
 * by the creating thread. The service gets replica id {@value #DEFAULT_REPLICA_ID}, a seeded random
 * generator (reproducible jitter) and backup ids {@code backup-1}, {@code backup-2}, ... Everything else is
 * the service's default unless set through {@link #builder()}.
 *
 * <p>Nothing runs until the test calls {@link #advance(Duration)} or {@link #runPending()}; all work then
 * runs on the test thread. {@link #replica(String)} makes a second service sharing the store, probe,
 * engine, clock and id sequence, with its own scheduler and listener, and {@link #crash()} throws a
 * replica's pending work away: together they test recovery after a replica dies.
 *
 * <p>Not thread-safe: meant for one test thread.
 */
public final class BackupFixture {

    /** The project of {@link #addInstance(String)} and {@link #request(String, String)}. */
    public static final String PROJECT = "project-1";
    /** The replica id of the fixture's service unless set. */
    public static final String DEFAULT_REPLICA_ID = "replica-1";

    private final Builder config;
    private final String replicaId;
    private final SettableClock clock;
    private final ManualScheduler scheduler;
    private final BackupStore store;
    private final ScriptedInstanceProbe probe;
    private final FakeBackupEngine engine;
    private final RecordingListener listener = new RecordingListener();
    private final Supplier<String> ids;
    private final BackupStore serviceStore;
    private final InstanceProbe serviceProbe;
    private final BackupEngine serviceEngine;
    private final DefaultBackupService service;

    private BackupFixture(Builder config, String replicaId, SettableClock clock, BackupStore store,
            ScriptedInstanceProbe probe, FakeBackupEngine engine, Supplier<String> ids, BackupStore serviceStore,
            InstanceProbe serviceProbe, BackupEngine serviceEngine) {
        this.config = config;
        this.replicaId = replicaId;
        this.clock = clock;
        this.scheduler = config.strictThreads ? ManualScheduler.strict(clock) : new ManualScheduler(clock);
        this.store = store;
        this.probe = probe;
        this.engine = engine;
        this.ids = ids;
        this.serviceStore = serviceStore;
        this.serviceProbe = serviceProbe;
        this.serviceEngine = serviceEngine;
        DefaultBackupService.Builder b = DefaultBackupService.builder()
                .store(serviceStore)
                .probe(serviceProbe)
                .engine(serviceEngine)
                .clock(clock)
                .scheduler(scheduler)
                .listener(listener)
                .replicaId(replicaId)
                .random(new SplittableRandom(config.seed))
                .idGenerator(ids);
        config.listeners.forEach(b::listener);
        if (config.retryPolicy != null) {
            b.retryPolicy(config.retryPolicy);
        }
        if (config.maxTableCount != null) {
            b.maxTableCount(config.maxTableCount);
        }
        if (config.manualBackupQuota != null) {
            b.manualBackupQuota(config.manualBackupQuota);
        }
        if (config.leaseDuration != null) {
            b.leaseDuration(config.leaseDuration);
        }
        if (config.verificationTimeout != null) {
            b.verificationTimeout(config.verificationTimeout);
        }
        config.customizer.accept(b);
        this.service = b.build();
    }

    /**
     * A fixture with every default.
     *
     * @return the fixture
     */
    public static BackupFixture create() {
        return builder().build();
    }

    /**
     * A builder to change the service's settings or wrap the fakes.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The service under test. */
    public DefaultBackupService service() {
        return service;
    }

    /**
     * The store in use: the {@link InMemoryBackupStore} unless {@link Builder#store(BackupStore)} gave
     * another, unwrapped even if {@link Builder#decorateStore} wrapped the service's.
     *
     * @return the store
     */
    public BackupStore store() {
        return store;
    }

    /** The scripted probe (unwrapped). */
    public ScriptedInstanceProbe probe() {
        return probe;
    }

    /** The fake engine (unwrapped). */
    public FakeBackupEngine engine() {
        return engine;
    }

    /** The listener recording this service's events. */
    public RecordingListener listener() {
        return listener;
    }

    /** The virtual clock, shared with every replica. */
    public SettableClock clock() {
        return clock;
    }

    /** This service's scheduler. */
    public ManualScheduler scheduler() {
        return scheduler;
    }

    /** This service's replica id. */
    public String replicaId() {
        return replicaId;
    }

    /**
     * Adds a running primary instance in {@link #PROJECT} with the probe's defaults.
     *
     * @param instanceId the instance
     * @return the instance, to change fluently
     */
    public ScriptedInstanceProbe.Instance addInstance(String instanceId) {
        return probe.addInstance(PROJECT, instanceId);
    }

    /**
     * A request builder for a manual backup of an instance of {@link #PROJECT}.
     *
     * @param instanceId the instance
     * @param name the backup name
     * @return the builder, to add a description, databases or a client token
     */
    public BackupRequest.Builder request(String instanceId, String name) {
        return BackupRequest.builder().projectId(PROJECT).instanceId(instanceId).name(name);
    }

    /**
     * Creates a manual backup of an instance of {@link #PROJECT} (nothing runs until time moves).
     *
     * @param instanceId the instance
     * @param name the backup name
     * @return the handle
     */
    public BackupHandle createBackup(String instanceId, String name) {
        return service.create(request(instanceId, name).build());
    }

    /**
     * Reads a backup of {@link #PROJECT} through the service.
     *
     * @param backupId the backup
     * @return the backup
     */
    public BackupRecord get(String backupId) {
        return service.get(PROJECT, backupId);
    }

    /**
     * Moves virtual time forward, running this service's due work on the way.
     *
     * @param amount how far
     * @return how many tasks ran
     */
    public int advance(Duration amount) {
        return scheduler.advance(amount);
    }

    /**
     * Runs this service's work that is due now, without moving time.
     *
     * @return how many tasks ran
     */
    public int runPending() {
        return scheduler.runPending();
    }

    /**
     * A second service, as another control-plane replica would run: same store (as the service sees it,
     * decorations included), probe, engine, clock, settings and backup-id sequence; its own replica id,
     * scheduler and listener. Moving time through one replica's {@link #advance} moves the shared clock
     * but runs only that replica's work; call {@link #runPending()} on the other to catch it up.
     *
     * @param replicaId the new replica's id
     * @return the replica
     */
    public BackupFixture replica(String replicaId) {
        Objects.requireNonNull(replicaId, "replicaId");
        return new BackupFixture(config, replicaId, clock, store, probe, engine, ids, serviceStore, serviceProbe,
                serviceEngine);
    }

    /**
     * Simulates this replica's process dying: its pending work (retries, lease renewals, timeouts) is thrown
     * away, so what it owned stays in the store until another replica's {@code recover()} takes it over.
     * Do not use this fixture's service afterwards.
     *
     * @return how many pending tasks were dropped
     */
    public int crash() {
        return scheduler.discardPending();
    }

    /** Changes the fixture's service or fakes before it is built. Not thread-safe. */
    public static final class Builder {
        private RetryPolicy retryPolicy;
        private Long maxTableCount;
        private Integer manualBackupQuota;
        private Duration leaseDuration;
        private Duration verificationTimeout;
        private String replicaId = DEFAULT_REPLICA_ID;
        private Instant start = SettableClock.DEFAULT_START;
        private long seed = 42;
        private boolean strictThreads = true;
        private final List<BackupListener> listeners = new ArrayList<>();
        private BackupStore store;
        private UnaryOperator<BackupStore> storeDecorator = UnaryOperator.identity();
        private UnaryOperator<InstanceProbe> probeDecorator = UnaryOperator.identity();
        private UnaryOperator<BackupEngine> engineDecorator = UnaryOperator.identity();
        private Consumer<DefaultBackupService.Builder> customizer = b -> { };

        private Builder() {
        }

        /**
         * Sets the verification retry policy; the service's default unless set.
         *
         * @param retryPolicy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Sets the table ceiling; the service's default (500,000) unless set.
         *
         * @param maxTableCount the ceiling
         * @return this builder
         */
        public Builder maxTableCount(long maxTableCount) {
            this.maxTableCount = maxTableCount;
            return this;
        }

        /**
         * Sets the manual-backup quota; none unless set.
         *
         * @param quota the quota
         * @return this builder
         */
        public Builder manualBackupQuota(int quota) {
            this.manualBackupQuota = quota;
            return this;
        }

        /**
         * Sets the lease duration; the service's default unless set.
         *
         * @param leaseDuration the duration
         * @return this builder
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
            return this;
        }

        /**
         * Sets the verification timeout; the service's default unless set.
         *
         * @param verificationTimeout the timeout
         * @return this builder
         */
        public Builder verificationTimeout(Duration verificationTimeout) {
            this.verificationTimeout = Objects.requireNonNull(verificationTimeout, "verificationTimeout");
            return this;
        }

        /**
         * Sets the first service's replica id; {@value BackupFixture#DEFAULT_REPLICA_ID} unless set.
         *
         * @param replicaId the id
         * @return this builder
         */
        public Builder replicaId(String replicaId) {
            this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
            return this;
        }

        /**
         * Sets where virtual time starts; {@link SettableClock#DEFAULT_START} unless set.
         *
         * @param start the first instant
         * @return this builder
         */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * Sets the seed of the service's random generator (retry jitter); 42 unless set.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Whether the scheduler refuses work from threads other than the test's; {@code true} unless set.
         *
         * @param strict {@code false} to let other threads submit work
         * @return this builder
         */
        public Builder strictThreads(boolean strict) {
            this.strictThreads = strict;
            return this;
        }

        /**
         * Adds a listener besides the fixture's {@link RecordingListener}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Uses the host's own store instead of a new {@link InMemoryBackupStore}, for example one over a
         * test database, so the host's service tests run against it. The fixture writes its records under
         * {@link BackupFixture#PROJECT} with ids {@code backup-1}, {@code backup-2}, ...: give each fixture
         * an empty store (or one whose records use other ids and projects).
         *
         * @param store the store the service and every replica use
         * @return this builder
         */
        public Builder store(BackupStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Wraps the store the service sees, for fault injection (see {@link ForwardingBackupStore}); the
         * fixture's {@link BackupFixture#store()} stays the unwrapped store.
         *
         * @param decorator from the store in use to what the service uses
         * @return this builder
         */
        public Builder decorateStore(UnaryOperator<BackupStore> decorator) {
            this.storeDecorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * Wraps the probe the service sees.
         *
         * @param decorator from the scripted probe to what the service uses
         * @return this builder
         */
        public Builder decorateProbe(UnaryOperator<InstanceProbe> decorator) {
            this.probeDecorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * Wraps the engine the service sees.
         *
         * @param decorator from the fake engine to what the service uses
         * @return this builder
         */
        public Builder decorateEngine(UnaryOperator<BackupEngine> decorator) {
            this.engineDecorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        /**
         * Changes anything else on the service's builder, after the fixture's own settings.
         *
         * @param customizer called with the service builder
         * @return this builder
         */
        public Builder customize(Consumer<DefaultBackupService.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Builds the fixture; the creating thread owns its scheduler.
         *
         * @return the fixture
         */
        public BackupFixture build() {
            BackupStore store = this.store != null ? this.store : new InMemoryBackupStore();
            ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
            FakeBackupEngine engine = new FakeBackupEngine();
            AtomicLong sequence = new AtomicLong();
            Supplier<String> ids = () -> "backup-" + sequence.incrementAndGet();
            return new BackupFixture(this, replicaId, new SettableClock(start), store, probe, engine, ids,
                    Objects.requireNonNull(storeDecorator.apply(store), "decorated store"),
                    Objects.requireNonNull(probeDecorator.apply(probe), "decorated probe"),
                    Objects.requireNonNull(engineDecorator.apply(engine), "decorated engine"));
        }
    }
}
