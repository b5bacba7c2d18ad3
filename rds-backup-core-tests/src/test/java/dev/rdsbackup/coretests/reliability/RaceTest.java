package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races with real threads released together by a latch, each repeated {@value #ROUNDS} times to shake out
 * interleavings. Background work waits in a lenient {@link ManualScheduler}, so only the raced calls run
 * concurrently; every verdict is checked on outcomes and holds for every interleaving.
 */
@DisplayName("Races between real threads have one clear winner and leave no corrupted record")
class RaceTest {
    private static final int ROUNDS = 50;
    private static final int THREADS = 8;
    private static final String PROJECT = "proj-1";
    private static final String INSTANCE = "inst-1";

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** One service replica (or several) over shared fakes. */
    private static final class Rig {
        final SettableClock clock = new SettableClock();
        final ManualScheduler scheduler = new ManualScheduler(clock);
        final InMemoryBackupStore store = new InMemoryBackupStore();
        final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        final FakeBackupEngine engine = new FakeBackupEngine().holdCopies();
        final AtomicLong ids = new AtomicLong();

        Rig() {
            probe.addInstance(PROJECT, INSTANCE);
        }

        DefaultBackupService replica(String id) {
            return DefaultBackupService.builder().store(store).probe(probe).engine(engine).clock(clock)
                    .scheduler(scheduler).validator(World.VALIDATOR).random(new SplittableRandom(id.hashCode()))
                    .idGenerator(() -> "b" + ids.incrementAndGet()).replicaId(id).build();
        }

        BackupRecord stored(String id) {
            return store.find(id).orElseThrow();
        }
    }

    private static BackupRequest request(String name) {
        return BackupRequest.builder().projectId(PROJECT).instanceId(INSTANCE).name(name).build();
    }

    /** Runs the calls on their own threads, all released at once; answers each call's value or exception. */
    private List<Object> race(List<Callable<Object>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (Callable<Object> call : calls) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                try {
                    return call.call();
                } catch (RuntimeException e) {
                    return e;
                }
            }));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Object> results = new ArrayList<>();
        for (Future<Object> f : futures) {
            results.add(f.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    private static List<ErrorCode> codes(List<Object> results) {
        return results.stream().filter(r -> !(r instanceof BackupHandle)).map(r -> {
            assertThat(r).as("every loser is refused with a BackupException").isInstanceOf(BackupException.class);
            return ((BackupException) r).code();
        }).toList();
    }

    private void sameNameRace(boolean twoReplicas) throws Exception {
        Quiet.run(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                Rig rig = new Rig();
                DefaultBackupService a = rig.replica("replica-a");
                DefaultBackupService b = twoReplicas ? rig.replica("replica-b") : a;
                List<Callable<Object>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    DefaultBackupService service = t % 2 == 0 ? a : b;
                    calls.add(() -> service.create(request("Nightly")));
                }
                List<Object> results = unchecked(() -> race(calls));
                List<BackupHandle> winners = results.stream().filter(BackupHandle.class::isInstance)
                        .map(BackupHandle.class::cast).toList();
                assertThat(winners).as("round %d: exactly one create wins", round).hasSize(1);
                assertThat(codes(results)).as("round %d: the losers", round).hasSize(THREADS - 1)
                        .allMatch(c -> c == ErrorCode.BACKUP_NAME_EXISTS || c == ErrorCode.BACKUP_IN_PROGRESS);
                assertThat(rig.store.all()).as("round %d: the store", round).containsExactly(winners.get(0).backup());
                rig.scheduler.advance(Duration.ofMinutes(5));
                rig.engine.completeAll();
                rig.scheduler.runPending(); // the engine's answers are handed to the service's scheduler
                assertThat(rig.stored(winners.get(0).backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
                rig.probe.assertEveryLockReleasedExactlyOnce();
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("8 threads creating the same name on one instance: exactly one wins, the rest are refused")
    void sameNameOneReplica() throws Exception {
        sameNameRace(false);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("two replicas sharing one store creating the same name: exactly one wins")
    void sameNameTwoReplicas() throws Exception {
        sameNameRace(true);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("8 threads on two replicas retrying one create with the same client token all get the same backup")
    void sameClientToken() throws Exception {
        Quiet.run(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                Rig rig = new Rig();
                DefaultBackupService a = rig.replica("replica-a");
                DefaultBackupService b = rig.replica("replica-b");
                List<Callable<Object>> calls = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    DefaultBackupService service = t % 2 == 0 ? a : b;
                    calls.add(() -> service.create(request("Nightly").toBuilder().clientToken("retry-42").build()));
                }
                List<Object> results = unchecked(() -> race(calls));
                assertThat(results).as("round %d", round).allMatch(BackupHandle.class::isInstance);
                Set<String> ids = results.stream().map(r -> ((BackupHandle) r).backupId()).collect(Collectors.toSet());
                assertThat(ids).as("round %d: one backup for every retry", round).hasSize(1);
                assertThat(rig.store.all()).hasSize(1);
            }
        });
    }

    private void cancelAgainstCompletion(boolean cancelFromOtherReplica) {
        Quiet.run(() -> {
            int cancelled = 0;
            int completed = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Rig rig = new Rig();
                DefaultBackupService owner = rig.replica("replica-a");
                DefaultBackupService canceller = cancelFromOtherReplica ? rig.replica("replica-b") : owner;
                BackupHandle handle = owner.create(request("Nightly"));
                rig.scheduler.runPending();
                String id = handle.backupId();
                assertThat(rig.engine.isRunning(id)).isTrue();
                assertThat(rig.stored(id).lock()).isNotNull();

                List<Object> results = unchecked(() -> race(List.of(
                        () -> {
                            rig.engine.complete(id);
                            return "completed";
                        },
                        () -> canceller.cancel(PROJECT, id))));
                rig.scheduler.advance(Duration.ofMinutes(5));

                BackupRecord last = rig.stored(id);
                Object cancel = results.get(1);
                if (cancel instanceof BackupRecord answered) {
                    cancelled++;
                    assertThat(last.status()).as("round %d: cancel answered, so it won", round)
                            .isEqualTo(BackupStatus.CANCELLED);
                    assertThat(answered).isEqualTo(last);
                } else {
                    completed++;
                    assertThat(cancel).as("round %d: a losing cancel is refused", round)
                            .isInstanceOfSatisfying(BackupException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_STATUS_CONFLICT));
                    assertThat(last.status()).as("round %d", round).isEqualTo(BackupStatus.COMPLETED);
                }
                assertThat(last.lock()).isNull();
                assertThat(last.lease()).isNull();
                assertThat(handle.completion().toCompletableFuture()).as("round %d: the handle", round)
                        .isCompletedWithValueMatching(r -> r.status() == last.status());
                rig.probe.assertEveryLockReleasedExactlyOnce();
            }
            assertThat(cancelled + completed).isEqualTo(ROUNDS);
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("cancel on the owning replica against the copy completing: COMPLETED or CANCELLED as answered,"
            + " lock released once")
    void cancelAgainstCompletionSameReplica() {
        cancelAgainstCompletion(false);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("cancel from another replica against the copy completing: COMPLETED or CANCELLED as answered,"
            + " lock released once")
    void cancelAgainstCompletionOtherReplica() {
        cancelAgainstCompletion(true);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("delete against instance deletion: a building backup ends CANCELLED and kept, or deleted as"
            + " answered; a completed one is deleted; other manual backups are kept unchanged")
    void deleteAgainstInstanceDeletion() {
        Quiet.run(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                Rig rig = new Rig();
                DefaultBackupService a = rig.replica("replica-a");
                DefaultBackupService b = rig.replica("replica-b");
                rig.engine.completeCopiesAtOnce();
                String kept = a.create(request("Kept")).backupId();
                rig.scheduler.runPending();
                String done = a.create(request("Done")).backupId();
                rig.scheduler.runPending();
                String auto = a.create(request("Auto").toBuilder().type(BackupType.AUTOMATED).build()).backupId();
                rig.scheduler.runPending();
                rig.engine.holdCopies();
                String building = a.create(request("Building")).backupId();
                rig.scheduler.runPending();
                BackupRecord keptBefore = rig.stored(kept);
                assertThat(keptBefore.status()).isEqualTo(BackupStatus.COMPLETED);
                assertThat(rig.stored(building).lock()).isNotNull();

                rig.probe.removeInstance(PROJECT, INSTANCE);
                List<Object> results = unchecked(() -> race(List.of(
                        () -> b.delete(PROJECT, done),
                        () -> b.delete(PROJECT, building),
                        () -> a.instanceDeleted(PROJECT, INSTANCE))));
                rig.scheduler.advance(Duration.ofMinutes(5));

                assertThat(results.get(0)).as("round %d: deleting a completed backup is never refused", round)
                        .isInstanceOf(BackupRecord.class);
                assertThat(rig.store.find(done)).as("round %d", round).isEmpty();
                assertThat(results.get(2)).as("round %d: instance deletion never fails", round)
                        .isInstanceOf(InstanceDeletionReport.class);
                if (results.get(1) instanceof BackupRecord) {
                    assertThat(rig.store.find(building)).as("round %d: the delete won", round).isEmpty();
                } else {
                    assertThat(results.get(1)).isInstanceOfSatisfying(BackupException.class,
                            // Refused while BUILDING (409, not retryable) or while the cancel's lock release was
                            // still under way (409 CONCURRENT_MODIFICATION, retryable).
                            e -> assertThat(e.code()).isIn(ErrorCode.BACKUP_STATUS_CONFLICT,
                                    ErrorCode.CONCURRENT_MODIFICATION));
                    BackupRecord cancelled = rig.stored(building);
                    assertThat(cancelled.status()).as("round %d: the instance deletion won", round)
                            .isEqualTo(BackupStatus.CANCELLED);
                    assertThat(cancelled.failure().code()).isEqualTo(ErrorCode.INSTANCE_DELETED);
                }
                assertThat(rig.store.find(auto)).as("round %d: automated backups go with the instance", round)
                        .isEmpty();
                assertThat(rig.stored(kept)).as("round %d: other manual backups are kept unchanged", round)
                        .isEqualTo(keptBefore);
                assertThat(rig.store.all()).allMatch(r -> r.status().isTerminal() && r.lock() == null);
                rig.probe.assertEveryLockReleasedExactlyOnce();
            }
        });
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(ThrowingSupplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
