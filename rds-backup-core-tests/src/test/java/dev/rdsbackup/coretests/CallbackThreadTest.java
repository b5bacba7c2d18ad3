package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.coretests.faults.ForwardingEngine;
import dev.rdsbackup.coretests.faults.ForwardingProbe;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 9: the service does no work on an adapter's callback thread. A probe whose release of the
 * lock waits for the engine's thread (which is busy delivering the copy's end) would deadlock a service
 * that releases the lock on that thread, holding the run's monitor.
 */
@DisplayName("Adapter callbacks")
class CallbackThreadTest {
    private final ScheduledExecutorService serviceThreads = Executors.newScheduledThreadPool(2,
            r -> new Thread(r, "service"));
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "engine"));

    @AfterEach
    void stop() {
        serviceThreads.shutdownNow();
        engineThread.shutdownNow();
    }

    @Test
    @DisplayName("are handed to the scheduler: store writes, lock release and listeners never run on the engine's thread")
    void handedOver() throws Exception {
        Harness h = new Harness();
        List<String> wrongThread = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch copyStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Long> copyResult = new CompletableFuture<>();
        BackupEngine engine = new ForwardingEngine(h.engine) {
            @Override
            public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                return () -> copyResult;
            }
        };
        InstanceProbe probe = new ForwardingProbe(h.probe) {
            @Override
            public void releaseLock(BackupLock lock) {
                // A probe that needs the engine's thread to release (they share a connection pool, say).
                try {
                    engineThread.submit(() -> h.probe.releaseLock(lock)).get(5, TimeUnit.SECONDS);
                    released.countDown();
                } catch (Exception e) {
                    wrongThread.add("releaseLock could not reach the engine's thread: " + e);
                }
            }
        };
        ForwardingBackupStore store = new ForwardingBackupStore(h.store) {
            @Override
            public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                if (Thread.currentThread().getName().equals("engine")) {
                    wrongThread.add("compareAndSet of " + next.status());
                }
                return super.compareAndSet(next, expectedVersion);
            }
        };
        BackupListener listener = new BackupListener() {
            @Override
            public void onCopyStarted(BackupRecord backup) {
                copyStarted.countDown();
            }

            @Override
            public void onCompleted(BackupRecord backup) {
                if (Thread.currentThread().getName().equals("engine")) {
                    wrongThread.add("onCompleted");
                }
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-c", h.scheduler).store(store).probe(probe)
                .engine(engine).listener(listener).clock(Clock.systemUTC())
                .scheduler(TaskScheduler.of(serviceThreads)).build();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        assertThat(copyStarted.await(10, TimeUnit.SECONDS)).isTrue();
        engineThread.submit(() -> copyResult.complete(42L)).get(5, TimeUnit.SECONDS);
        BackupRecord done = handle.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(wrongThread).isEmpty();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.probe.instance(PROJECT, INSTANCE)).isNotNull();
    }
}
