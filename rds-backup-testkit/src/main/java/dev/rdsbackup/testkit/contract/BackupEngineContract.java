package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link BackupEngine}: a copy ends with a size and never reports progress going
 * backwards; {@code stopCopy} stops a copy by backup id, from any instance of the engine, discards its data
 * and is idempotent; {@code deleteArtifact} deletes one backup's data, only that, and is idempotent. A host
 * extends it in its test sources:
 *
 * <pre>{@code
 * class XtraBackupEngineContractTest extends BackupEngineContract {
 *     protected BackupEngine createEngine() { return new XtraBackupEngine(testStorage); }
 *     protected CopyRequest copyRequest(String backupId) {
 *         return new CopyRequest(backupId, "p", testDatabase.id(), MYSQL_8, List.of(),
 *                 testDatabase.lockForBackup(), 10, 1024);
 *     }
 *     protected Optional<Boolean> artifactExists(String backupId) {
 *         return Optional.of(testStorage.exists(backupId));
 *     }
 * }
 * }</pre>
 *
 * <p>Hooks: {@link #createEngine()} is required. It is called before every test, and once more by the
 * tests that stop a copy from another instance of the engine: the two instances must share the storage, as
 * the engines of two control-plane replicas do. {@link #copyRequest(String)} (what to copy; by default a
 * small MySQL instance with a dummy lock, enough for an engine that needs no real database),
 * {@link #copyTimeout()} and the storage hook {@link #artifactExists(String)} have defaults. The engine
 * must finish a copy by itself within the timeout.
 *
 * <p><b>What it cannot check without {@link #artifactExists}.</b> Everything about data: that a copy stores
 * some, that a stopped copy's partial data is gone, that a delete removes one backup's data and leaves the
 * others' (ids sharing a prefix, such as {@code backup-1} and {@code backup-10}). Without the hook it checks
 * only that the calls succeed, end and can be repeated. Even with it, it cannot check that a copy is
 * consistent and restorable, or that a stop reaches a copy running on another host; test those against
 * the real storage.
 *
 * <p>Tests are flat methods named "group: sentence", so a host's reports list them under its own class.
 */
@DisplayName("A backup engine")
public abstract class BackupEngineContract {

    private BackupEngine engine;
    private final String nonce = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);

    /** For subclasses. */
    protected BackupEngineContract() {
    }

    /**
     * Makes an instance of the engine under test: before every test, and a second one in the tests that
     * stop a copy from another instance. Instances made for one test share their storage.
     *
     * @return the engine
     */
    protected abstract BackupEngine createEngine();

    /**
     * What to copy for a backup id.
     *
     * @param backupId a new id for every copy
     * @return the request
     */
    protected CopyRequest copyRequest(String backupId) {
        return new CopyRequest(backupId, "contract-project", "contract-instance", new Datastore("MySQL", "8.0"),
                List.of(), new BackupLock("contract-instance", "contract-lock"), 10, 1024 * 1024);
    }

    /**
     * Whether the stored data of a backup exists (complete or partial), if the test can see the engine's
     * storage. Override it so the kit checks that a copy stores data, that a stop or a delete removes it,
     * and that they remove nothing else; by default the kit cannot tell and checks only that the calls
     * succeed.
     *
     * @param backupId the backup
     * @return whether its data exists, or empty if the test cannot tell
     */
    protected Optional<Boolean> artifactExists(String backupId) {
        return Optional.empty();
    }

    /** How long a copy, a stop or a delete may take; 60 seconds unless overridden. */
    protected Duration copyTimeout() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    final void setUpEngine() {
        engine = createEngine();
    }

    /** The engine under test. */
    protected final BackupEngine engine() {
        return engine;
    }

    private String newBackupId() {
        return "contract-" + nonce + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** Waits for a stage to end, one way or the other; fails only if it does not end in time. */
    private <T> void awaitEnd(CompletionStage<T> stage, String what) {
        try {
            stage.toCompletableFuture().get(copyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail(what + ": no end within " + copyTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        } catch (ExecutionException | CancellationException e) {
            // Ended exceptionally: a stopped copy may end either way.
        }
    }

    private <T> T awaitSuccess(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(copyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail(what + ": no answer within " + copyTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (ExecutionException e) {
            return fail(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static BackupRecord recordOf(CopyRequest request, BackupStatus status, long size) {
        return BackupRecord.builder().id(request.backupId()).projectId(request.projectId())
                .instanceId(request.instanceId()).name("contract-backup").datastore(request.datastore())
                .databases(request.databases()).status(status)
                .beginTime(Instant.parse("2026-01-01T00:00:00Z")).sizeBytes(size).build();
    }

    private void assertData(String backupId, boolean exists, String why) {
        artifactExists(backupId).ifPresent(actual -> assertEquals(exists, actual, why + " (" + backupId + ")"));
    }

    /** Copies and completes backups with these ids, so that each has data. */
    private List<CopyRequest> finishedCopies(List<String> backupIds) {
        List<CopyRequest> requests = new ArrayList<>();
        for (String id : backupIds) {
            CopyRequest request = copyRequest(id);
            awaitSuccess(engine.startCopy(request, p -> { }).result(), "the copy of " + id);
            assertData(id, true, "a finished copy stores data");
            requests.add(request);
        }
        return requests;
    }

    /** Ids that share prefixes: {@code x-backup-1}, {@code x-backup-10}, {@code x-backup-11}, {@code x-backup-2}. */
    private List<String> prefixSharingIds() {
        String base = newBackupId() + "-backup-";
        return List.of(base + "1", base + "10", base + "11", base + "2");
    }

    // ---------------------------------------------------------------- copy

    @Test
    @DisplayName("copy: ends with a stored size of 0 or more, and stores data")
    void endsWithASize() {
        CopyRequest request = copyRequest(newBackupId());
        CopyJob job = engine.startCopy(request, p -> { });

        long size = awaitSuccess(job.result(), "the copy");

        assertTrue(size >= 0, "size " + size);
        assertData(request.backupId(), true, "a finished copy stores data");
    }

    @Test
    @DisplayName("copy: never reports progress going backwards")
    void progressNeverGoesBackwards() {
        List<CopyProgress> seen = new ArrayList<>();
        CopyJob job = engine.startCopy(copyRequest(newBackupId()), p -> {
            synchronized (seen) {
                seen.add(p);
            }
        });
        awaitSuccess(job.result(), "the copy");

        synchronized (seen) {
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i).bytesCopied() >= seen.get(i - 1).bytesCopied(),
                        "progress went from " + seen.get(i - 1) + " to " + seen.get(i));
            }
        }
    }

    // ---------------------------------------------------------------- stop

    @Test
    @DisplayName("stop: stops a copy by backup id, ends it and discards its data")
    void stopDiscardsData() {
        CopyRequest request = copyRequest(newBackupId());
        CopyJob job = engine.startCopy(request, p -> { });

        awaitSuccess(engine.stopCopy(recordOf(request, BackupStatus.CANCELLED, 0)), "the stop");

        awaitEnd(job.result(), "the stopped copy");
        assertData(request.backupId(), false, "a stopped copy's data is gone");
    }

    @Test
    @DisplayName("stop: stops a copy that another instance of the engine started")
    void stopFromAnotherInstance() {
        BackupEngine other = createEngine();
        CopyRequest request = copyRequest(newBackupId());
        CopyJob job = engine.startCopy(request, p -> { });

        awaitSuccess(other.stopCopy(recordOf(request, BackupStatus.FAILED, 0)), "the stop from another instance");

        awaitEnd(job.result(), "the stopped copy");
        assertData(request.backupId(), false, "a copy stopped from another instance leaves no data");
    }

    @Test
    @DisplayName("stop: succeeds again for a stopped copy, and for a copy that never started")
    void stopIsIdempotent() {
        CopyRequest request = copyRequest(newBackupId());
        CopyJob job = engine.startCopy(request, p -> { });
        BackupRecord cancelled = recordOf(request, BackupStatus.CANCELLED, 0);
        awaitSuccess(engine.stopCopy(cancelled), "the first stop");
        awaitEnd(job.result(), "the stopped copy");

        awaitSuccess(engine.stopCopy(cancelled), "the second stop");
        awaitSuccess(createEngine().stopCopy(cancelled), "a stop from another instance after the copy stopped");
        awaitSuccess(engine.stopCopy(recordOf(copyRequest(newBackupId()), BackupStatus.FAILED, 0)),
                "the stop of a copy that never started");
        assertData(request.backupId(), false, "a stopped copy's data stays gone");
    }

    @Test
    @DisplayName("stop: leaves the data of every other backup alone, ids sharing a prefix included")
    void stopLeavesOthersAlone() {
        assertTouchesOnlyItsBackup("stopping", r -> engine.stopCopy(recordOf(r, BackupStatus.FAILED, 0)));
    }

    /** Copies four backups whose ids share prefixes, runs {@code action} on the first, checks the others. */
    private void assertTouchesOnlyItsBackup(String what, Function<CopyRequest, CompletionStage<Void>> action) {
        List<String> ids = prefixSharingIds();
        List<CopyRequest> requests = finishedCopies(ids);

        awaitSuccess(action.apply(requests.get(0)), what + " " + ids.get(0));

        assertData(ids.get(0), false, what + " a backup removes its data");
        for (String other : ids.subList(1, ids.size())) {
            assertData(other, true, what + " " + ids.get(0) + " must not touch another backup's data");
        }
    }

    // ---------------------------------------------------------------- delete

    @Test
    @DisplayName("delete: deletes the data of a finished copy")
    void deletesData() {
        CopyRequest request = finishedCopies(List.of(newBackupId())).get(0);

        awaitSuccess(engine.deleteArtifact(recordOf(request, BackupStatus.DELETING, 0)), "the delete");

        assertData(request.backupId(), false, "the data is gone after the delete");
    }

    @Test
    @DisplayName("delete: leaves the data of every other backup alone, ids sharing a prefix included")
    void deleteLeavesOthersAlone() {
        assertTouchesOnlyItsBackup("deleting", r -> engine.deleteArtifact(recordOf(r, BackupStatus.DELETING, 0)));
    }

    @Test
    @DisplayName("delete: succeeds again when the data is already gone")
    void deleteIsIdempotent() {
        CopyRequest request = finishedCopies(List.of(newBackupId())).get(0);
        awaitSuccess(engine.deleteArtifact(recordOf(request, BackupStatus.DELETING, 0)), "the first delete");

        awaitSuccess(engine.deleteArtifact(recordOf(request, BackupStatus.DELETING, 0)), "the second delete");
        assertData(request.backupId(), false, "the data stays gone");
    }

    @Test
    @DisplayName("delete: succeeds for a backup that never stored data")
    void deleteOfNothing() {
        awaitSuccess(engine.deleteArtifact(recordOf(copyRequest(newBackupId()), BackupStatus.DELETING, 0)),
                "the delete");
    }

    @Test
    @DisplayName("delete: answers whether a backup is in use without failing")
    void inUseAnswers() {
        assertDoesNotThrow(() -> engine.inUseBy(recordOf(copyRequest(newBackupId()), BackupStatus.COMPLETED, 0)));
    }
}
