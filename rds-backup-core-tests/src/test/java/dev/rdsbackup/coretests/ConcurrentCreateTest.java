package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real threads: this test is about concurrency. Bounded by a timeout; its verdict does not depend on timing. */
@DisplayName("Concurrent creates")
class ConcurrentCreateTest {
    private static final String PROJECT = "proj-1";
    private static final int THREADS = 8;
    private static final int CREATES = 1_000;
    private static final int INSTANCES = 50;

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final ExecutorService callers = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("from 8 threads over 50 instances never give an instance two active backups or a duplicate"
            + " name, and every accepted backup ends")
    void eightThreadsThousandCreates() throws Exception {
        CheckingStore store = new CheckingStore(new InMemoryBackupStore());
        ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        for (int i = 0; i < INSTANCES; i++) {
            ScriptedInstanceProbe.Instance instance = probe.addInstance(PROJECT, "inst-" + i);
            if (i % 5 == 0) {
                instance.ddlRunningFor(3);
            }
        }
        FakeBackupEngine engine = new FakeBackupEngine();
        BackupService service = DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine)
                .clock(Clock.systemUTC())
                .scheduler(TaskScheduler.of(executor))
                .retryPolicy(RetryPolicy.builder().delay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(5))
                        .maxAttempts(3).build())
                .build();

        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<BackupHandle> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ErrorCode> refused = new ConcurrentLinkedQueue<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(t);
            workers.add(callers.submit(() -> {
                start.await();
                for (int i = 0; i < CREATES / THREADS; i++) {
                    BackupRequest request = BackupRequest.builder().projectId(PROJECT)
                            .instanceId("inst-" + random.nextInt(INSTANCES))
                            .name("Backup-" + random.nextInt(40)).build();
                    try {
                        accepted.add(service.create(request));
                    } catch (BackupException e) {
                        refused.add(e.code());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(accepted.stream().map(h -> h.completion().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(accepted.size() + refused.size()).isEqualTo(CREATES);
        assertThat(accepted).isNotEmpty();
        assertThat(refused).as("only the two race refusals").allMatch(
                c -> c == ErrorCode.BACKUP_IN_PROGRESS || c == ErrorCode.BACKUP_NAME_EXISTS);
        assertThat(store.violations).isEmpty();
        for (BackupHandle handle : accepted) {
            BackupRecord last = store.find(handle.backupId()).orElseThrow();
            assertThat(last.status()).isIn(BackupStatus.COMPLETED, BackupStatus.FAILED);
            assertThat(last.lock()).isNull();
        }
        assertThat(store.all()).hasSize(accepted.size());
        probe.assertEveryLockReleasedExactlyOnce();
    }

    /** Serialises every call so the invariants can be checked exactly after each write. */
    static final class CheckingStore implements BackupStore {
        final InMemoryBackupStore delegate;
        final List<String> violations = new ArrayList<>();

        CheckingStore(InMemoryBackupStore delegate) {
            this.delegate = delegate;
        }

        synchronized List<BackupRecord> all() {
            return delegate.all();
        }

        private void check(String projectId, String instanceId) {
            BackupPage page = delegate.query(BackupQuery.forInstance(projectId, instanceId).build());
            List<BackupRecord> records = new ArrayList<>(page.items());
            for (int offset = 100; offset < page.totalCount(); offset += 100) {
                records.addAll(delegate.query(BackupQuery.forInstance(projectId, instanceId).offset(offset)
                        .build()).items());
            }
            long building = records.stream().filter(r -> r.status() == BackupStatus.BUILDING).count();
            Set<String> names = new HashSet<>();
            for (BackupRecord r : records) {
                if (!names.add(r.name())) {
                    violations.add("duplicate name " + r.name() + " in " + instanceId);
                }
            }
            if (building > 1) {
                violations.add(building + " active backups in " + instanceId);
            }
        }

        @Override
        public synchronized CreateResult create(BackupRecord record) {
            CreateResult result = delegate.create(record);
            check(record.projectId(), record.instanceId());
            return result;
        }

        @Override
        public synchronized Optional<BackupRecord> find(String backupId) {
            return delegate.find(backupId);
        }

        @Override
        public synchronized Optional<BackupRecord> findByClientToken(String projectId, String clientToken) {
            return delegate.findByClientToken(projectId, clientToken);
        }

        @Override
        public synchronized Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> result = delegate.compareAndSet(next, expectedVersion);
            check(next.projectId(), next.instanceId());
            return result;
        }

        @Override
        public synchronized boolean delete(String backupId, long expectedVersion) {
            return delegate.delete(backupId, expectedVersion);
        }

        @Override
        public synchronized BackupPage query(BackupQuery query) {
            return delegate.query(query);
        }

        @Override
        public synchronized List<BackupRecord> findExpiredLeases(Instant now, String afterId, int limit) {
            return delegate.findExpiredLeases(now, afterId, limit);
        }
    }
}
