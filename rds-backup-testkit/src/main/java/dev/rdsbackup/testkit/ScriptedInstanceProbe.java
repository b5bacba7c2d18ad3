package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.api.spi.Verification;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link InstanceProbe} whose instances and verification answers a test scripts.
 *
 * <p><b>Instances.</b> {@link #addInstance(String, String)} adds an instance with defaults (ACTIVE, PRIMARY,
 * MySQL 8.0, 100 tables, 1 GiB of data, no partial backups, no databases) and returns an {@link Instance}
 * whose fluent setters change it at any time, also while a backup runs. {@link #describe} answers a
 * snapshot of the instance, or empty once it is {@linkplain #removeInstance removed} (or was never added).
 *
 * <p><b>Verification.</b> Each instance has a queue of scripted answers, consumed one per call to
 * {@link #verify}: {@link Instance#ddlRunningFor}, {@link Instance#lockUnavailableFor},
 * {@link Instance#unreachableFor}, {@link Instance#verifyThrowsFor} (the call throws),
 * {@link Instance#verifyFailsFor} (the stage completes exceptionally) and {@link Instance#hangFor} (the
 * stage stays incomplete until the test calls {@link #completeHungVerifications()} or
 * {@link #failHungVerifications}). Calls append in order, so {@code ddlRunningFor(1).lockUnavailableFor(1)}
 * scripts two different failures. When the queue is empty the answer is {@link Verification.Verified}
 * with a new lock and the instance's table count. Verifying an unknown instance answers
 * {@link Verification.Unreachable}.
 *
 * <p><b>Locks.</b> Every lock handed out is recorded; {@link #releaseLock} counts releases per lock and
 * never throws (a real database may have dropped the lock already). {@link #heldLocks()},
 * {@link #doubleReleasedLocks()}, {@link #unknownLockReleases()} and
 * {@link #assertEveryLockReleasedExactlyOnce()} let a test prove no lock leaked or was released twice.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ScriptedInstanceProbe implements InstanceProbe {

    /** The engine of a new instance. */
    public static final Datastore DEFAULT_DATASTORE = new Datastore("MySQL", "8.0");
    /** The table count of a new instance. */
    public static final long DEFAULT_TABLE_COUNT = 100;
    /** The data size of a new instance: 1 GiB. */
    public static final long DEFAULT_DATA_SIZE_BYTES = 1L << 30;

    private final Map<Key, Instance> instances = new HashMap<>();
    private final Map<String, BackupLock> obtained = new LinkedHashMap<>();
    private final Map<String, Integer> releases = new HashMap<>();
    private final List<BackupLock> unknownReleases = new ArrayList<>();
    private final List<Hung> hung = new ArrayList<>();
    private final Map<Key, Integer> verifications = new HashMap<>();
    private final Map<Key, Integer> describes = new HashMap<>();
    private long nextLock = 1;

    /** A probe that knows no instance. */
    public ScriptedInstanceProbe() {
    }

    /**
     * Adds (or replaces) an instance with the defaults; change it through the answer.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return the instance, to change fluently
     */
    public Instance addInstance(String projectId, String instanceId) {
        Instance instance = new Instance(projectId, instanceId);
        synchronized (this) {
            instances.put(new Key(projectId, instanceId), instance);
        }
        return instance;
    }

    /**
     * An instance added before.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return the instance, to change fluently
     * @throws IllegalArgumentException if there is none
     */
    public synchronized Instance instance(String projectId, String instanceId) {
        Instance instance = instances.get(new Key(projectId, instanceId));
        if (instance == null) {
            throw new IllegalArgumentException("no instance " + instanceId + " in project " + projectId);
        }
        return instance;
    }

    /**
     * Removes an instance: {@code describe} answers empty and {@code verify} unreachable from now on.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return {@code true} if it existed
     */
    public synchronized boolean removeInstance(String projectId, String instanceId) {
        return instances.remove(new Key(projectId, instanceId)) != null;
    }

    @Override
    public Optional<InstanceInfo> describe(String projectId, String instanceId) {
        Instance instance;
        synchronized (this) {
            Key key = new Key(projectId, instanceId);
            describes.merge(key, 1, Integer::sum);
            instance = instances.get(key);
        }
        return instance == null ? Optional.empty() : Optional.of(instance.describe());
    }

    @Override
    public CompletionStage<Verification> verify(String projectId, String instanceId) {
        Key key = new Key(projectId, instanceId);
        Instance instance;
        synchronized (this) {
            verifications.merge(key, 1, Integer::sum);
            instance = instances.get(key);
        }
        if (instance == null) {
            return CompletableFuture.completedFuture(
                    new Verification.Unreachable("instance " + instanceId + " does not exist"));
        }
        Step step = instance.nextStep();
        switch (step) {
            case DDL:
                return CompletableFuture.completedFuture(new Verification.DdlInProgress("scripted: DDL is running"));
            case LOCK_UNAVAILABLE:
                return CompletableFuture.completedFuture(
                        new Verification.LockNotObtained("scripted: backup lock wait timed out"));
            case UNREACHABLE:
                return CompletableFuture.completedFuture(new Verification.Unreachable("scripted: connection refused"));
            case THROW:
                throw new IllegalStateException("scripted: verify threw");
            case FAIL:
                return CompletableFuture.failedFuture(new IllegalStateException("scripted: verification failed"));
            case HANG:
                CompletableFuture<Verification> pending = new CompletableFuture<>();
                synchronized (this) {
                    hung.add(new Hung(key, instance, pending));
                }
                return pending;
            case VERIFY:
            default:
                return CompletableFuture.completedFuture(verified(instance));
        }
    }

    private Verification verified(Instance instance) {
        BackupLock lock;
        synchronized (this) {
            lock = new BackupLock(instance.instanceId, "scripted-lock-" + nextLock++);
            obtained.put(lock.token(), lock);
        }
        return new Verification.Verified(lock, instance.info().tableCount());
    }

    @Override
    public synchronized void releaseLock(BackupLock lock) {
        Objects.requireNonNull(lock, "lock");
        if (!obtained.containsKey(lock.token())) {
            unknownReleases.add(lock);
            return;
        }
        releases.merge(lock.token(), 1, Integer::sum);
    }

    /** How many verifications are hung, waiting for the test. */
    public synchronized int hungVerificationCount() {
        return hung.size();
    }

    /**
     * Completes every hung verification as verified, each with a new lock (which the service must then
     * release, even if it gave up waiting).
     *
     * @return how many were completed
     */
    public int completeHungVerifications() {
        List<Hung> waiting = takeHung();
        for (Hung h : waiting) {
            h.future.complete(verified(h.instance));
        }
        return waiting.size();
    }

    /**
     * Completes every hung verification with the given answer.
     *
     * @param outcome the answer; a {@link Verification.Verified} one should carry a lock from this probe
     * @return how many were completed
     */
    public int completeHungVerifications(Verification outcome) {
        Objects.requireNonNull(outcome, "outcome");
        List<Hung> waiting = takeHung();
        waiting.forEach(h -> h.future.complete(outcome));
        return waiting.size();
    }

    /**
     * Completes every hung verification exceptionally.
     *
     * @param failure the exception
     * @return how many were failed
     */
    public int failHungVerifications(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        List<Hung> waiting = takeHung();
        waiting.forEach(h -> h.future.completeExceptionally(failure));
        return waiting.size();
    }

    private synchronized List<Hung> takeHung() {
        List<Hung> waiting = new ArrayList<>(hung);
        hung.clear();
        return waiting;
    }

    /**
     * How many times {@code verify} was called for an instance (whatever the answer).
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return the count
     */
    public synchronized int verificationCount(String projectId, String instanceId) {
        return verifications.getOrDefault(new Key(projectId, instanceId), 0);
    }

    /** How many times {@code verify} was called, for all instances. */
    public synchronized int verificationCount() {
        return verifications.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * How many times {@code describe} was called for an instance.
     *
     * @param projectId the project
     * @param instanceId the instance
     * @return the count
     */
    public synchronized int describeCount(String projectId, String instanceId) {
        return describes.getOrDefault(new Key(projectId, instanceId), 0);
    }

    /** How many locks were handed out. */
    public synchronized int locksObtained() {
        return obtained.size();
    }

    /** How many calls released a lock this probe handed out (double releases count twice). */
    public synchronized int locksReleased() {
        return releases.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Locks handed out and not released yet, oldest first. */
    public synchronized List<BackupLock> heldLocks() {
        return obtained.values().stream().filter(l -> !releases.containsKey(l.token())).toList();
    }

    /**
     * Whether a lock this probe handed out is still held (not released yet): the lock-observing hook of
     * {@code InstanceProbeContract} for this probe.
     *
     * @param lock the lock
     * @return {@code true} if handed out and not released
     */
    public synchronized boolean isHeld(BackupLock lock) {
        Objects.requireNonNull(lock, "lock");
        return lock.equals(obtained.get(lock.token())) && !releases.containsKey(lock.token());
    }

    /** Locks released more than once. */
    public synchronized List<BackupLock> doubleReleasedLocks() {
        return obtained.values().stream().filter(l -> releases.getOrDefault(l.token(), 0) > 1).toList();
    }

    /** Locks released that this probe never handed out. */
    public synchronized List<BackupLock> unknownLockReleases() {
        return List.copyOf(unknownReleases);
    }

    /**
     * Checks that every lock handed out was released exactly once and no unknown lock was released.
     *
     * @throws AssertionError describing every lock held, released twice or unknown
     */
    public synchronized void assertEveryLockReleasedExactlyOnce() {
        List<String> problems = new ArrayList<>();
        heldLocks().forEach(l -> problems.add("never released: " + l));
        doubleReleasedLocks().forEach(l -> problems.add(
                "released " + releases.get(l.token()) + " times: " + l));
        unknownReleases.forEach(l -> problems.add("released but never obtained: " + l));
        if (!problems.isEmpty()) {
            throw new AssertionError("backup locks: " + String.join("; ", problems));
        }
    }

    private enum Step { VERIFY, DDL, LOCK_UNAVAILABLE, UNREACHABLE, THROW, FAIL, HANG }

    private record Key(String projectId, String instanceId) {
        Key {
            Objects.requireNonNull(projectId, "projectId");
            Objects.requireNonNull(instanceId, "instanceId");
        }
    }

    private record Hung(Key key, Instance instance, CompletableFuture<Verification> future) {
    }

    /**
     * One scripted instance. Setters change it at once and return it for chaining; thread-safe.
     */
    public static final class Instance {
        private final String projectId;
        private final String instanceId;
        private final Deque<Step> script = new ArrayDeque<>();
        private InstanceStatus status = InstanceStatus.ACTIVE;
        private InstanceRole role = InstanceRole.PRIMARY;
        private Datastore datastore = DEFAULT_DATASTORE;
        private long tableCount = DEFAULT_TABLE_COUNT;
        private long dataSizeBytes = DEFAULT_DATA_SIZE_BYTES;
        private boolean partialBackupSupported;
        private Set<String> databases = Set.of();
        private RuntimeException describeFailure;

        private Instance(String projectId, String instanceId) {
            this.projectId = Objects.requireNonNull(projectId, "projectId");
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        }

        /** The project. */
        public String projectId() {
            return projectId;
        }

        /** The instance id. */
        public String instanceId() {
            return instanceId;
        }

        /**
         * Sets the status.
         *
         * @param status the status
         * @return this instance
         */
        public synchronized Instance status(InstanceStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /**
         * Sets the role.
         *
         * @param role primary or read replica
         * @return this instance
         */
        public synchronized Instance role(InstanceRole role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /**
         * Sets engine and version.
         *
         * @param engine such as {@code PostgreSQL}
         * @param version such as {@code 16}
         * @return this instance
         */
        public Instance datastore(String engine, String version) {
            return datastore(new Datastore(engine, version));
        }

        /**
         * Sets engine and version.
         *
         * @param datastore the datastore
         * @return this instance
         */
        public synchronized Instance datastore(Datastore datastore) {
            this.datastore = Objects.requireNonNull(datastore, "datastore");
            return this;
        }

        /**
         * Sets the table count (described, and seen while holding the lock).
         *
         * @param tableCount 0 or more
         * @return this instance
         */
        public synchronized Instance tableCount(long tableCount) {
            this.tableCount = tableCount;
            return this;
        }

        /**
         * Sets the data size.
         *
         * @param dataSizeBytes 0 or more
         * @return this instance
         */
        public synchronized Instance dataSizeBytes(long dataSizeBytes) {
            this.dataSizeBytes = dataSizeBytes;
            return this;
        }

        /**
         * Sets whether the engine can back up chosen databases.
         *
         * @param supported {@code true} to allow partial backups
         * @return this instance
         */
        public synchronized Instance partialBackupSupported(boolean supported) {
            this.partialBackupSupported = supported;
            return this;
        }

        /**
         * Sets the databases on the instance.
         *
         * @param names the database names
         * @return this instance
         */
        public synchronized Instance databases(String... names) {
            this.databases = new LinkedHashSet<>(List.of(names));
            return this;
        }

        /**
         * Makes {@code describe} throw (a failing inventory), or stops it with {@code null}.
         *
         * @param failure the exception to throw, or {@code null}
         * @return this instance
         */
        public synchronized Instance describeThrows(RuntimeException failure) {
            this.describeFailure = failure;
            return this;
        }

        /**
         * The next {@code n} verifications answer {@link Verification.DdlInProgress}.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance ddlRunningFor(int n) {
            return append(Step.DDL, n);
        }

        /**
         * The next {@code n} verifications answer {@link Verification.LockNotObtained}.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance lockUnavailableFor(int n) {
            return append(Step.LOCK_UNAVAILABLE, n);
        }

        /**
         * The next {@code n} verifications answer {@link Verification.Unreachable}.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance unreachableFor(int n) {
            return append(Step.UNREACHABLE, n);
        }

        /**
         * The next {@code n} calls to {@code verify} throw an {@link IllegalStateException}.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance verifyThrowsFor(int n) {
            return append(Step.THROW, n);
        }

        /**
         * The next {@code n} verifications complete exceptionally with an {@link IllegalStateException}.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance verifyFailsFor(int n) {
            return append(Step.FAIL, n);
        }

        /**
         * The next {@code n} verifications never complete until the test calls
         * {@link ScriptedInstanceProbe#completeHungVerifications()} or a sibling.
         *
         * @param n 0 or more
         * @return this instance
         */
        public Instance hangFor(int n) {
            return append(Step.HANG, n);
        }

        /** How many scripted answers are still queued. */
        public synchronized int scriptedRemaining() {
            return script.size();
        }

        /**
         * Drops every scripted answer: verifications succeed from now on.
         *
         * @return this instance
         */
        public synchronized Instance clearScript() {
            script.clear();
            return this;
        }

        /** The instance as {@code describe} shows it now (ignores {@link #describeThrows}). */
        public synchronized InstanceInfo info() {
            return new InstanceInfo(projectId, instanceId, status, role, datastore, tableCount, dataSizeBytes,
                    partialBackupSupported, databases);
        }

        private synchronized InstanceInfo describe() {
            if (describeFailure != null) {
                throw describeFailure;
            }
            return info();
        }

        private synchronized Instance append(Step step, int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n must be 0 or more, was " + n);
            }
            for (int i = 0; i < n; i++) {
                script.addLast(step);
            }
            return this;
        }

        private synchronized Step nextStep() {
            Step step = script.pollFirst();
            return step == null ? Step.VERIFY : step;
        }

        @Override
        public synchronized String toString() {
            return "Instance[" + projectId + "/" + instanceId + ", " + status + ", " + role + ", " + datastore + "]";
        }
    }
}
