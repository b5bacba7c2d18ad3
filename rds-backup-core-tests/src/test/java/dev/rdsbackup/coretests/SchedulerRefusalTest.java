package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, items 2 and 3: a scheduler that refuses work, at submission or when a delayed task falls due,
 * never leaves a backup BUILDING (or DELETING) forever, and a refused lease renewal does not stop later ones.
 */
@DisplayName("A scheduler that refuses work")
class SchedulerRefusalTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** An executor that runs tasks on a thread of its own and refuses the next armed hand-overs. */
    private static final class RefusingExecutor implements Executor {
        private final Executor threads = Executors.newSingleThreadExecutor();
        final AtomicInteger refuse = new AtomicInteger();

        @Override
        public void execute(Runnable command) {
            if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new RejectedExecutionException("injected: executor saturated");
            }
            threads.execute(command);
        }
    }

    @Test
    @DisplayName("when a verification retry falls due still retries it (TaskScheduler.of(executor, timer))")
    void refusedWhenDue() throws Exception {
        Harness h = new Harness();
        RefusingExecutor executor = new RefusingExecutor();
        // Refuse the next hand-over once the first attempt has failed: the retry's, when it falls due.
        dev.rdsbackup.api.BackupListener arm = new dev.rdsbackup.api.BackupListener() {
            @Override
            public void onVerificationRetry(BackupRecord backup, dev.rdsbackup.api.error.ErrorCode reason,
                    Duration delay) {
                executor.refuse.set(1);
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-t", h.scheduler)
                .scheduler(TaskScheduler.of(executor, timer)).clock(Clock.systemUTC()).listener(arm)
                .retryPolicy(RetryPolicy.builder().jitter(0).delay(Duration.ofMillis(20)).build())
                .build();
        h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        BackupRecord done = handle.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    /** A scheduler over virtual time that refuses the next armed delayed submissions. */
    private static final class RefusingScheduler implements TaskScheduler {
        final ManualScheduler inner;
        int refuseDelayed;
        Duration onlyDelay;

        RefusingScheduler(ManualScheduler inner) {
            this.inner = inner;
        }

        @Override
        public void execute(Runnable task) {
            inner.execute(task);
        }

        @Override
        public ScheduledTask schedule(Runnable task, Duration delay) {
            if (refuseDelayed > 0 && (onlyDelay == null || onlyDelay.equals(delay))) {
                refuseDelayed--;
                throw new RejectedExecutionException("injected: scheduler saturated");
            }
            return inner.schedule(task, delay);
        }
    }

    @Test
    @DisplayName("refusing one lease renewal does not stop later renewals")
    void renewalsGoOn() {
        Harness h = new Harness();
        Duration lease = Duration.ofMinutes(3);
        RefusingScheduler refusing = new RefusingScheduler(h.scheduler);
        DefaultBackupService service = h.baseBuilder("replica-t", h.scheduler).scheduler(refusing)
                .leaseDuration(lease).build();
        DefaultBackupService other = h.baseBuilder("replica-o", ManualScheduler.strict(h.clock))
                .leaseDuration(lease).build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        refusing.refuseDelayed = 1;
        h.advance(lease.dividedBy(3));
        for (int i = 0; i < 10; i++) {
            h.advance(lease.dividedBy(2));
            other.recover();
        }
        assertThat(h.stored(handle.backupId()).status()).as("the healthy build kept its lease")
                .isEqualTo(BackupStatus.BUILDING);
        h.engine.complete(handle.backupId());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("refusing the retry of a failed ending write does not leave the backup BUILDING (item 3)")
    void endingRetryRefused() {
        Harness h = new Harness();
        FaultInjectingStore faulty = new FaultInjectingStore(h.store);
        RefusingScheduler refusing = new RefusingScheduler(h.scheduler);
        DefaultBackupService service = h.baseBuilder("replica-t", h.scheduler).scheduler(refusing)
                .store(faulty).build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        faulty.onlyWrites(r -> r.status() == BackupStatus.COMPLETED).failBefore(Op.CAS, 1);
        refusing.refuseDelayed = 1;
        h.engine.complete(handle.backupId());
        h.settle();
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofMinutes(5));
            service.recover();
        }
        BackupRecord stored = h.stored(handle.backupId());
        assertThat(stored.status()).isNotEqualTo(BackupStatus.BUILDING);
        assertThat(stored.lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(service.instanceDeleted(PROJECT, INSTANCE).cancelled()).isEmpty();
    }

    @Test
    @DisplayName("refusing a deletion's deadline while the engine never answers does not leave it DELETING (item 3)")
    void deletionDeadlineRefused() {
        Harness h = new Harness();
        RefusingScheduler refusing = new RefusingScheduler(h.scheduler);
        DefaultBackupService service = h.baseBuilder("replica-t", h.scheduler).scheduler(refusing)
                .stallTimeout(Duration.ofMinutes(10)).build();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        HangingDeletes hanging = new HangingDeletes(h);
        DefaultBackupService deleting = h.baseBuilder("replica-t2", h.scheduler).scheduler(refusing)
                .engine(hanging).stallTimeout(Duration.ofMinutes(10)).build();
        refusing.refuseDelayed = 1;
        refusing.onlyDelay = Duration.ofMinutes(10);
        deleting.delete(PROJECT, handle.backupId());
        for (int i = 0; i < 10; i++) {
            h.advance(Duration.ofMinutes(5));
            deleting.recover();
        }
        assertThat(service).isNotNull();
        assertThat(h.store.find(handle.backupId())).map(BackupRecord::status)
                .hasValue(BackupStatus.DELETE_FAILED);
    }

    /** An engine whose deletes never answer. */
    private static final class HangingDeletes extends dev.rdsbackup.coretests.faults.ForwardingEngine {
        HangingDeletes(Harness h) {
            super(h.engine);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            return new java.util.concurrent.CompletableFuture<>();
        }
    }
}
