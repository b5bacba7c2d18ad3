package dev.rdsbackup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.jdbc.TestDatabases.Kind;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two control-plane replicas, each with a pool and a store of its own, on one database; the instance probe and
 * the engine are shared, as the real ones would be. Callers on real threads, released together by a barrier,
 * race creates, cancels, deletes and an instance deletion across both replicas. After every round, once the
 * work has settled, the state machine's invariants hold exactly.
 */
@DisplayName("Two replicas sharing one database")
class TwoReplicasRaceTest {

    private static final int ROUNDS = 6;
    private static final int CALLERS = 8;
    private static final int INSTANCES = 4;
    /**
     * What a race may earn. {@code CONCURRENT_MODIFICATION} (409, retryable): a delete or an instance deletion
     * that meets an ending whose lock and copy are still being seen to, or a record that kept changing.
     */
    private static final Set<ErrorCode> RACE_REFUSALS = Set.of(ErrorCode.BACKUP_IN_PROGRESS,
            ErrorCode.BACKUP_NAME_EXISTS, ErrorCode.BACKUP_STATUS_CONFLICT, ErrorCode.BACKUP_NOT_FOUND,
            ErrorCode.INSTANCE_NOT_FOUND, ErrorCode.CONCURRENT_MODIFICATION);

    private final ConcurrentLinkedQueue<BackupHandle> accepted = new ConcurrentLinkedQueue<>();
    private final Set<String> deleted = Collections.synchronizedSet(new HashSet<>());
    private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("keep one BUILDING backup per instance, unique names, every lock recorded and no record lost")
    void raceCreatesCancelsDeletesAndInstanceDeletions(Kind kind) throws Exception {
        ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        FakeBackupEngine engine = new FakeBackupEngine().holdCopies();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try (HikariDataSource poolA = TestDatabases.newPool(kind, 4, c -> { });
                HikariDataSource poolB = TestDatabases.newPool(kind, 4, c -> { });
                Replicas replicas = new Replicas()) {
            JdbcBackupStore storeA = JdbcBackupStore.builder(poolA).table("race_check").createSchema(true).build();
            JdbcBackupStore storeB = JdbcBackupStore.builder(poolB).table("race_check").build();
            BackupService a = replicas.replica("replica-a", storeA, probe, engine, Clock.systemUTC(),
                    Duration.ofMinutes(2));
            BackupService b = replicas.replica("replica-b", storeB, probe, engine, Clock.systemUTC(),
                    Duration.ofMinutes(2));
            BackupService[] replica = {a, b};

            for (int round = 0; round < ROUNDS; round++) {
                String project = "race-" + UUID.randomUUID();
                for (int i = 0; i < INSTANCES; i++) {
                    probe.addInstance(project, "i-" + i);
                }
                accepted.clear();
                deleted.clear();

                race(callers, caller -> create(replica[caller % 2], project, "i-" + (caller % 2),
                        "name-" + (caller % 3)));
                List<String> ids = accepted.stream().map(BackupHandle::backupId).sorted().toList();
                assertThat(ids).as("round %d: the first creates", round).isNotEmpty();
                race(callers, caller -> {
                    String target = ids.get(caller % ids.size());
                    switch (caller) {
                        case 0, 1 -> call(() -> replica[caller % 2].cancel(project, target));
                        // A delete that races the cancel of the same backup may hear "still being released, try
                        // again shortly" (CONCURRENT_MODIFICATION) while the ending's lock and copy are seen to.
                        case 2, 3 -> call(() -> {
                            replica[caller % 2].delete(project, target);
                            deleted.add(target);
                        });
                        case 4 -> {
                            probe.removeInstance(project, "i-1");
                            call(() -> replica[1].instanceDeleted(project, "i-1"));
                        }
                        default -> create(replica[caller % 2], project, "i-" + (caller % INSTANCES),
                                "name-" + caller);
                    }
                });
                Replicas.await("round " + round + " settled", Duration.ofSeconds(30),
                        () -> Replicas.settled(storeA, project), engine::completeAll);

                assertInvariants(round, storeB, probe, project);
                assertThat(Replicas.counted(poolB, storeB, project))
                        .as("round %d: the counts table holds each instance's backups", round)
                        .isEqualTo(Replicas.countedByHand(Replicas.all(storeB, project)));
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(unexpected).as("failures other than the refusals a race may earn").isEmpty();
    }

    private void race(ExecutorService callers, IntConsumer action) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int caller = i;
            futures.add(callers.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                action.accept(caller);
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    private void create(BackupService service, String project, String instance, String name) {
        call(() -> accepted.add(service.create(BackupRequest.builder().projectId(project).instanceId(instance)
                .name(name).build())));
    }

    private void call(Runnable action) {
        call(action, ErrorCode.BACKUP_STATUS_CONFLICT);
    }

    private void call(Runnable action, ErrorCode alsoExpected) {
        try {
            action.run();
        } catch (BackupException e) {
            if (!RACE_REFUSALS.contains(e.code()) && e.code() != alsoExpected) {
                unexpected.add(e);
            }
        } catch (RuntimeException e) {
            unexpected.add(e);
        }
    }

    private void assertInvariants(int round, JdbcBackupStore store, ScriptedInstanceProbe probe, String project) {
        List<BackupRecord> records = Replicas.all(store, project);
        Map<String, List<BackupRecord>> byInstance = records.stream()
                .collect(Collectors.groupingBy(BackupRecord::instanceId));
        for (Map.Entry<String, List<BackupRecord>> instance : byInstance.entrySet()) {
            List<BackupRecord> list = instance.getValue();
            assertThat(list.stream().filter(r -> r.status() == BackupStatus.BUILDING).count())
                    .as("round %d, %s: BUILDING backups", round, instance.getKey()).isLessThanOrEqualTo(1);
            assertThat(list.stream().map(BackupRecord::name).distinct().count())
                    .as("round %d, %s: names are unique", round, instance.getKey()).isEqualTo(list.size());
        }
        Set<BackupLock> recorded = records.stream().map(BackupRecord::lock).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        assertThat(recorded).as("round %d: every lock the probe holds is recorded", round)
                .containsAll(probe.heldLocks());
        Map<String, BackupRecord> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.id(), r));
        for (BackupHandle handle : accepted) {
            if (deleted.contains(handle.backupId())) {
                continue;
            }
            assertThat(byId).as("round %d: accepted backup %s is kept", round, handle.backupId())
                    .containsKey(handle.backupId());
            assertThat(byId.get(handle.backupId()).status()).as("round %d: %s ended", round, handle.backupId())
                    .isIn(BackupStatus.COMPLETED, BackupStatus.FAILED, BackupStatus.CANCELLED);
        }
    }
}
