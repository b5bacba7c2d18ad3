package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.api.spi.Verification;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * What the benchmarks share: requests, a Hibernate Validator configured exactly as the library's default,
 * lean adapters and heap measurement.
 *
 * <p>The lean adapters exist because the testkit's fakes record every call for a test's assertions (every
 * copy request, every lock handed out), so their memory grows with each backup and they synchronise on
 * one monitor; a throughput figure taken through them would measure the fakes. The store is always the
 * testkit's {@code InMemoryBackupStore}: it is the in-memory adapter the library ships.
 */
public final class Fixtures {
    /** The project every benchmark uses. */
    public static final String PROJECT = "proj-bench";
    /** The datastore every instance reports. */
    public static final Datastore DATASTORE = new Datastore("MySQL", "8.0");

    private Fixtures() {
    }

    /** A Bean Validation validator built as {@code DefaultBackupService} builds its default one. */
    public static Validator hibernateValidator() {
        return Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory()
                .getValidator();
    }

    /** Instance ids {@code inst-0} to {@code inst-(n-1)}. */
    public static String[] instanceIds(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "inst-" + i;
        }
        return ids;
    }

    /** A valid request with a description. */
    public static BackupRequest validRequest() {
        return BackupRequest.builder().projectId(PROJECT).instanceId("inst-0").name("nightly-2026-11-26")
                .description("Before the schema migration of ticket 4711").build();
    }

    /** A request with two violations: a name starting with a digit and a banned character in the description. */
    public static BackupRequest invalidRequest() {
        return BackupRequest.builder().projectId(PROJECT).instanceId("inst-0").name("1-nightly")
                .description("Before <the> migration").build();
    }

    /** Heap in use after a few full collections, in bytes. */
    public static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Live threads of this JVM. */
    public static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /**
     * A scheduler that runs immediate work on the calling thread and hands delays to one timer thread whose
     * cancelled tasks leave its queue at once. With an instant engine, {@code create} then returns only
     * after the backup is COMPLETED: one create is one whole lifecycle, on the benchmark's thread.
     *
     * @param timer the timer, owned by the caller
     * @return the scheduler
     */
    public static TaskScheduler inline(ScheduledThreadPoolExecutor timer) {
        return TaskScheduler.of(Runnable::run, timer);
    }

    /** A one-thread daemon timer that removes cancelled tasks from its queue. */
    public static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * A probe that knows instances {@code inst-0..n-1} of {@link #PROJECT} (running primaries, 100 tables,
     * 1 GiB) and verifies each at once with a fresh lock. Records nothing.
     */
    public static final class LeanProbe implements InstanceProbe {
        private final ConcurrentHashMap<String, InstanceInfo> instances = new ConcurrentHashMap<>();

        /**
         * Creates the probe.
         *
         * @param instanceIds the instances it knows
         */
        public LeanProbe(String[] instanceIds) {
            for (String id : instanceIds) {
                instances.put(id, new InstanceInfo(PROJECT, id, InstanceStatus.ACTIVE, InstanceRole.PRIMARY,
                        DATASTORE, 100, 1L << 30, false, Set.of()));
            }
        }

        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return PROJECT.equals(projectId) ? Optional.ofNullable(instances.get(instanceId)) : Optional.empty();
        }

        @Override
        public CompletionStage<Verification> verify(String projectId, String instanceId) {
            return CompletableFuture.completedFuture(
                    new Verification.Verified(new BackupLock(instanceId, "lock-" + instanceId), 100));
        }

        @Override
        public void releaseLock(BackupLock lock) {
            // nothing held
        }
    }

    /** An engine whose copies complete at once with the request's data size. Records nothing. */
    public static final class InstantEngine implements BackupEngine {
        @Override
        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            CompletableFuture<Long> done = CompletableFuture.completedFuture(request.dataSizeBytes());
            return new CopyJob() {
                @Override
                public CompletionStage<Long> result() {
                    return done;
                }

            };
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * A store whose every write runs under one store-wide lock, as the testkit's in-memory store's did in
     * 0.1.0 (its reads shared a read lock; here they take none): the baseline for how the store scales.
     */
    public static final class OneLockStore extends ForwardingBackupStore {
        private final Object lock = new Object();

        /**
         * Wraps a store.
         *
         * @param delegate the store
         */
        public OneLockStore(BackupStore delegate) {
            super(delegate);
        }

        @Override
        public CreateResult create(BackupRecord record) {
            synchronized (lock) {
                return super.create(record);
            }
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            synchronized (lock) {
                return super.compareAndSet(next, expectedVersion);
            }
        }

        @Override
        public boolean delete(String backupId, long expectedVersion) {
            synchronized (lock) {
                return super.delete(backupId, expectedVersion);
            }
        }
    }
}
