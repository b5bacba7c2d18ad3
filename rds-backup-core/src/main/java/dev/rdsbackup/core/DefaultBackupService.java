package dev.rdsbackup.core;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.internal.BackupLifecycle;
import dev.rdsbackup.core.internal.Listeners;
import dev.rdsbackup.core.internal.RequestValidator;
import dev.rdsbackup.core.internal.Settings;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The {@link BackupService} of rds-backup. Build one per control-plane replica with {@link #builder()},
 * giving it the host's three adapters, a clock and a scheduler:
 *
 * <pre>{@code
 * BackupService backups = DefaultBackupService.builder()
 *         .store(new JdbcBackupStore(dataSource))      // where records live
 *         .probe(new AgentInstanceProbe(agents))       // how to look at an instance
 *         .engine(new XtraBackupEngine(objectStorage)) // what copies the data
 *         .clock(Clock.systemUTC())
 *         .scheduler(TaskScheduler.of(Executors.newScheduledThreadPool(2)))
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe. Several replicas may share one store: the guarantees come from the store's atomic
 * operations. Each replica needs its own {@linkplain Builder#replicaId(String) replica id} (a random one
 * by default). The service runs its reconciler on its scheduler every
 * {@linkplain Builder#recoveryInterval(Duration) recovery interval}: work that a dead replica left (an
 * interrupted build, a deletion, a backup lock to release, a copy to stop) is finished without the host
 * doing anything. {@link #close()} hands this replica's work over at shutdown.
 */
public final class DefaultBackupService implements BackupService, AutoCloseable {

    private final BackupLifecycle lifecycle;

    private DefaultBackupService(Settings settings) {
        this.lifecycle = new BackupLifecycle(settings);
    }

    private static String randomId() {
        return Builder.randomIdOf(java.util.concurrent.ThreadLocalRandom.current());
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This replica's id, as written into the leases of the work it owns. */
    public String replicaId() {
        return lifecycle.replicaId();
    }

    /** How many backups this replica is building or deleting right now. */
    public int inFlight() {
        return lifecycle.inFlight();
    }

    @Override
    public BackupHandle create(BackupRequest request) {
        return lifecycle.create(request);
    }

    @Override
    public BackupRecord get(String projectId, String backupId) {
        return lifecycle.get(projectId, backupId);
    }

    @Override
    public BackupPage list(BackupQuery query) {
        return lifecycle.list(query);
    }

    @Override
    public BackupRecord cancel(String projectId, String backupId) {
        return lifecycle.cancel(projectId, backupId);
    }

    @Override
    public BackupRecord delete(String projectId, String backupId) {
        return lifecycle.delete(projectId, backupId);
    }

    @Override
    public List<DeleteOutcome> deleteAll(String projectId, List<String> backupIds) {
        return lifecycle.deleteAll(projectId, backupIds);
    }

    @Override
    public InstanceDeletionReport instanceDeleted(String projectId, String instanceId) {
        return lifecycle.instanceDeleted(projectId, instanceId);
    }

    @Override
    public RecoveryReport recover() {
        return lifecycle.recover();
    }

    /**
     * Shuts this replica down: creates are refused at once ({@code SERVICE_UNAVAILABLE}, retryable); work in
     * flight may finish within the {@linkplain Builder#shutdownGracePeriod(Duration) grace period}, watched on
     * the service's scheduler (so in virtual time under a manual scheduler; no thread is blocked); then the
     * service's timers stop and the leases of what remains are expired in the store in one call, so the
     * reconciler of any replica takes it over at once instead of after the lease. Returns at once; idempotent.
     * Keep the scheduler running until {@link #closed()} completes.
     */
    @Override
    public void close() {
        lifecycle.close();
    }

    /**
     * Completes once {@link #close()} has handed this replica's work over.
     *
     * @return the stage; never completes if {@link #close()} is not called
     */
    public CompletionStage<Void> closed() {
        return lifecycle.closed();
    }

    @Override
    public String toString() {
        return "DefaultBackupService[replica=" + replicaId() + "]";
    }

    /**
     * Builds a {@link DefaultBackupService}. The store, probe, engine, clock and scheduler are required;
     * everything else has a default. Not thread-safe.
     */
    public static final class Builder {
        /** The table ceiling of the cloud RDS service. */
        public static final long DEFAULT_MAX_TABLE_COUNT = 500_000;

        /**
         * The longest duration any setting accepts (365 days): longer ones cannot be scheduled or added to an
         * instant safely, and no deadline of a backup needs them.
         */
        public static final Duration MAX_DURATION = Duration.ofDays(365);

        private BackupStore store;
        private InstanceProbe probe;
        private BackupEngine engine;
        private Clock clock;
        private TaskScheduler scheduler;
        private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
        private final List<BackupListener> listeners = new ArrayList<>();
        private Validator validator;
        private long maxTableCount = DEFAULT_MAX_TABLE_COUNT;
        private int manualBackupQuota;
        private String replicaId;
        private Duration leaseDuration = Duration.ofMinutes(2);
        private Duration verificationTimeout = Duration.ofMinutes(1);
        private RandomGenerator random;
        private Supplier<String> idGenerator;
        private long bytesPerSecond = 100L * 1024 * 1024;
        private Duration perTableCost = Duration.ofMillis(2);
        private Duration stallTimeout = Duration.ofHours(1);
        private Duration recoveryInterval = Duration.ofMinutes(1);
        private Duration shutdownGracePeriod = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Sets where backup records live. Required.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(BackupStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Sets how instances are described and verified. Required.
         *
         * @param probe the probe
         * @return this builder
         */
        public Builder probe(InstanceProbe probe) {
            this.probe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /**
         * Sets what copies and deletes backup data. Required.
         *
         * @param engine the engine
         * @return this builder
         */
        public Builder engine(BackupEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Sets the source of every timestamp and deadline. Required: pass {@code Clock.systemUTC()} in
         * production and a settable clock in tests.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets where background work and waits run. Required.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets how verification is retried; {@link RetryPolicy#ofDefaults()} (two attempts in all) unless set.
         *
         * @param retryPolicy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Adds a lifecycle listener; may be called more than once.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Uses the host's Bean Validation factory instead of bootstrapping Hibernate Validator.
         *
         * @param factory the factory; the service takes one validator from it and never closes it
         * @return this builder
         */
        public Builder validatorFactory(ValidatorFactory factory) {
            this.validator = Objects.requireNonNull(factory, "factory").getValidator();
            return this;
        }

        /**
         * Uses the host's validator instead of bootstrapping Hibernate Validator.
         *
         * @param validator the validator
         * @return this builder
         */
        public Builder validator(Validator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /**
         * Sets the most tables an instance may have to be backed up; 500,000 unless set.
         *
         * @param maxTableCount 1 or more
         * @return this builder
         */
        public Builder maxTableCount(long maxTableCount) {
            if (maxTableCount < 1) {
                throw new IllegalArgumentException("maxTableCount must be 1 or more, was " + maxTableCount);
            }
            this.maxTableCount = maxTableCount;
            return this;
        }

        /**
         * Sets how many manual backups one instance may have; no quota unless set.
         *
         * @param quota 1 or more
         * @return this builder
         */
        public Builder manualBackupQuota(int quota) {
            if (quota < 1) {
                throw new IllegalArgumentException("manualBackupQuota must be 1 or more, was " + quota);
            }
            this.manualBackupQuota = quota;
            return this;
        }

        /**
         * Sets this replica's id, written into leases; a random id unless set. Must be unique among the
         * replicas sharing a store.
         *
         * @param replicaId 1 to 64 ASCII letters, digits, '-' and '_'
         * @return this builder
         */
        public Builder replicaId(String replicaId) {
            Objects.requireNonNull(replicaId, "replicaId");
            if (!replicaId.matches(dev.rdsbackup.api.constraints.ResourceId.REGEXP)) {
                throw new IllegalArgumentException(
                        "replicaId must be 1 to 64 ASCII letters, digits, '-' and '_'");
            }
            this.replicaId = replicaId;
            return this;
        }

        /**
         * Sets how long a lease on in-progress work lasts; renewed every third of it. Another replica's
         * {@link BackupService#recover()} takes over work whose lease expired. 2 minutes unless set.
         *
         * @param leaseDuration at least 3 seconds, at most {@link #MAX_DURATION}
         * @return this builder
         */
        public Builder leaseDuration(Duration leaseDuration) {
            Objects.requireNonNull(leaseDuration, "leaseDuration");
            if (leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new IllegalArgumentException("leaseDuration must be at least 3 seconds, was " + leaseDuration);
            }
            this.leaseDuration = atMostMax("leaseDuration", leaseDuration);
            return this;
        }

        /**
         * Sets how long one verification attempt may take before it counts as unreachable; 1 minute unless set.
         *
         * @param verificationTimeout positive, at most {@link #MAX_DURATION}
         * @return this builder
         */
        public Builder verificationTimeout(Duration verificationTimeout) {
            this.verificationTimeout = positive("verificationTimeout", verificationTimeout);
            return this;
        }

        /**
         * Sets the random source of retry jitter (and of backup ids and the replica id when those are not
         * set), for reproducible runs; a new {@link java.util.Random} unless set.
         *
         * @param random the generator; the service uses it under a lock
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Sets how backup ids are made; random (version 4) UUIDs unless set. Ids must be unique across the
         * store and match 1 to 64 ASCII letters, digits, '-' and '_'.
         *
         * @param idGenerator the id source, called from several threads
         * @return this builder
         */
        public Builder idGenerator(Supplier<String> idGenerator) {
            this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
            return this;
        }

        /**
         * Sets the copy speed and per-table cost used to estimate how long a backup takes, until the
         * engine's progress gives a better figure; 100 MiB/s and 2 ms per table unless set.
         *
         * @param bytesPerSecond positive
         * @param perTableCost zero or more
         * @return this builder
         */
        public Builder estimate(long bytesPerSecond, Duration perTableCost) {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("bytesPerSecond must be 1 or more, was " + bytesPerSecond);
            }
            Objects.requireNonNull(perTableCost, "perTableCost");
            if (perTableCost.isNegative()) {
                throw new IllegalArgumentException("perTableCost must not be negative, was " + perTableCost);
            }
            this.bytesPerSecond = bytesPerSecond;
            this.perTableCost = atMostMax("perTableCost", perTableCost);
            return this;
        }

        /**
         * Sets how long a copy may run without the engine reporting progress (or its end) before it is
         * stopped and the backup fails with {@code ENGINE_FAILED}, and how long a delete of backup data may
         * go unanswered before the backup is {@code DELETE_FAILED}; 1 hour unless set. This is what keeps a
         * hung engine from holding a backup {@code BUILDING} (and the backup lock) forever. An engine that
         * reports no progress must finish within it: set it longer for such an engine.
         *
         * @param stallTimeout positive, at most {@link #MAX_DURATION}
         * @return this builder
         */
        public Builder stallTimeout(Duration stallTimeout) {
            this.stallTimeout = positive("stallTimeout", stallTimeout);
            return this;
        }

        /**
         * Sets how often the service runs its reconciler (the same as {@link BackupService#recover()}) on its
         * scheduler; 1 minute unless set. The first run is one interval after the service is built.
         *
         * @param recoveryInterval positive, at most {@link #MAX_DURATION}
         * @return this builder
         */
        public Builder recoveryInterval(Duration recoveryInterval) {
            this.recoveryInterval = positive("recoveryInterval", recoveryInterval);
            return this;
        }

        /**
         * Sets how long {@link DefaultBackupService#close()} lets work in flight finish before handing it
         * over to other replicas; 30 seconds unless set.
         *
         * @param shutdownGracePeriod positive, at most {@link #MAX_DURATION}
         * @return this builder
         */
        public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = positive("shutdownGracePeriod", shutdownGracePeriod);
            return this;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return atMostMax(name, value);
        }

        private static Duration atMostMax(String name, Duration value) {
            if (value.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(name + " must be at most " + MAX_DURATION + ", was " + value);
            }
            return value;
        }

        /**
         * Builds the service.
         *
         * @return the service
         * @throws IllegalStateException naming every required setting that is missing
         */
        public DefaultBackupService build() {
            List<String> missing = new ArrayList<>();
            if (store == null) {
                missing.add("store");
            }
            if (probe == null) {
                missing.add("probe");
            }
            if (engine == null) {
                missing.add("engine");
            }
            if (clock == null) {
                missing.add("clock");
            }
            if (scheduler == null) {
                missing.add("scheduler");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("DefaultBackupService needs " + String.join(", ", missing));
            }
            RandomGenerator rnd = random != null ? random : new java.util.Random();
            Supplier<String> ids = idGenerator;
            if (ids == null) {
                ids = random == null ? DefaultBackupService::randomId : () -> {
                    synchronized (rnd) {
                        return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
                    }
                };
            }
            String replica = replicaId;
            if (replica == null) {
                synchronized (rnd) {
                    replica = "replica-" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE);
                }
            }
            Validator v = validator != null ? validator : defaultValidator();
            return new DefaultBackupService(new Settings(store, probe, engine, clock, scheduler, retryPolicy,
                    new Listeners(listeners), new RequestValidator(v), maxTableCount, manualBackupQuota, replica,
                    leaseDuration, verificationTimeout, rnd, ids, bytesPerSecond, perTableCost, stallTimeout,
                    recoveryInterval, shutdownGracePeriod));
        }

        /**
         * A random (version 4) UUID from the thread's own generator: ids need to be unique, not secret, and
         * {@link UUID#randomUUID()} serialises every caller on one {@code SecureRandom}.
         */
        private static String randomIdOf(java.util.concurrent.ThreadLocalRandom random) {
            long high = (random.nextLong() & ~0xF000L) | 0x4000L;
            long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(high, low).toString();
        }

        private static Validator defaultValidator() {
            ValidatorFactory factory = Validation.byProvider(HibernateValidator.class)
                    .configure()
                    .messageInterpolator(new ParameterMessageInterpolator())
                    .buildValidatorFactory();
            return factory.getValidator();
        }
    }
}
