package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.coretests.faults.ForwardingEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Clock;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 5, on real threads: a cancel that arrives while {@code engine.startCopy} fails must not
 * leak the backup lock. Every round lines the two up behind a barrier; the verdict is taken once all work
 * has stopped, so it does not depend on timing.
 */
@DisplayName("A cancel racing a failing engine start")
class CancelDuringCopyStartRaceTest {
    private static final int ROUNDS = 10_000;

    @Test
    @DisplayName("never leaks or double-releases the backup lock (10,000 rounds)")
    void noLeak() throws Exception {
        ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
        CyclicBarrier meet = new CyclicBarrier(2);
        ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        BackupEngine engine = new ForwardingEngine(new dev.rdsbackup.testkit.FakeBackupEngine()) {
            @Override
            public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                try {
                    meet.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the canceller never came", e);
                }
                // A varying head start, so that over the rounds the cancel lands at every point of the failure.
                long spin = request.backupId().hashCode() & 0x3FF;
                long sink = 0;
                for (long i = 0; i < spin; i++) {
                    sink += i ^ spin;
                }
                throw new IllegalStateException("injected: the engine could not start the copy (" + (sink & 1) + ")");
            }
        };
        DefaultBackupService service = DefaultBackupService.builder().store(new InMemoryBackupStore())
                .probe(probe).engine(engine).clock(Clock.systemUTC()).scheduler(TaskScheduler.of(threads))
                .replicaId("replica-race").build();
        int cancelled = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String instance = "inst-" + round;
                probe.addInstance(PROJECT, instance);
                BackupHandle handle = service.create(Harness.request("Nightly").instanceId(instance).build());
                meet.await(5, TimeUnit.SECONDS);
                try {
                    service.cancel(PROJECT, handle.backupId());
                    cancelled++;
                } catch (BackupException e) {
                    // The failure was recorded first: the backup is FAILED and cannot be cancelled.
                }
                BackupRecord end = handle.completion().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(end.status()).isIn(BackupStatus.CANCELLED, BackupStatus.FAILED);
            }
            for (int wait = 0; wait < 5_000 && service.inFlight() > 0; wait++) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertThat(service.inFlight()).as("work still in flight").isZero();
        } finally {
            ((java.util.concurrent.ScheduledThreadPoolExecutor) threads)
                    .setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cancelled).as("cancels that won").isBetween(0, ROUNDS);
        probe.assertEveryLockReleasedExactlyOnce();
    }
}
