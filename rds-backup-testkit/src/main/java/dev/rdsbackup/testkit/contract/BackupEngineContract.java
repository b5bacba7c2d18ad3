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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link BackupEngine}: progress never goes backwards, a copy ends with a size, cancel is
 * honoured and safe to repeat, and deleting an artifact is idempotent. A host extends it in its test
 * sources:
 *
 * <pre>{@code
 * class XtraBackupEngineContractTest extends BackupEngineContract {
 *     protected BackupEngine createEngine() { return new XtraBackupEngine(testStorage); }
 *     protected CopyRequest copyRequest(String backupId) {
 *         return new CopyRequest(backupId, "p", testDatabase.id(), MYSQL_8, List.of(),
 *                 testDatabase.lockForBackup(), 10, 1024);
 *     }
 * }
 * }</pre>
 *
 * <p>Hooks: {@link #createEngine()} is required; {@link #copyRequest(String)} (what to copy; by default a
 * small MySQL instance with a dummy lock, enough for an engine that needs no real database) and
 * {@link #copyTimeout()} have defaults. The engine must finish a copy by itself within the timeout.
 */
@DisplayName("A backup engine")
public abstract class BackupEngineContract {

    private BackupEngine engine;

    /**
     * Makes the engine under test; called before every test.
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

    /** How long a copy, a cancel or a delete may take; 60 seconds unless overridden. */
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

    private static String newBackupId() {
        return "contract-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    private <T> Optional<T> await(CompletionStage<T> stage) {
        try {
            return Optional.ofNullable(stage.toCompletableFuture().get(copyTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return fail("no answer within " + copyTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return Optional.empty();
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

    private static BackupRecord recordOf(CopyRequest request, long size) {
        return BackupRecord.builder().id(request.backupId()).projectId(request.projectId())
                .instanceId(request.instanceId()).name("contract-backup").datastore(request.datastore())
                .databases(request.databases()).status(BackupStatus.COMPLETED)
                .beginTime(Instant.parse("2026-01-01T00:00:00Z")).sizeBytes(size).build();
    }

    /** {@link BackupEngine#startCopy}. */
    @Nested
    @DisplayName("when copying")
    class Copy {

        @Test
        @DisplayName("ends with a stored size of 0 or more")
        void endsWithASize() {
            CopyJob job = engine.startCopy(copyRequest(newBackupId()), p -> { });

            long size = awaitSuccess(job.result(), "the copy");

            assertTrue(size >= 0, "size " + size);
        }

        @Test
        @DisplayName("never reports progress going backwards")
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
    }

    /** {@link CopyJob#cancel()}. */
    @Nested
    @DisplayName("when a copy is cancelled")
    class Cancel {

        @Test
        @DisplayName("ends the copy, one way or the other")
        void cancelEndsTheCopy() {
            CopyJob job = engine.startCopy(copyRequest(newBackupId()), p -> { });

            job.cancel();

            await(job.result());
            assertTrue(job.result().toCompletableFuture().isDone());
        }

        @Test
        @DisplayName("accepts being cancelled again")
        void cancelTwice() {
            CopyJob job = engine.startCopy(copyRequest(newBackupId()), p -> { });
            job.cancel();

            assertDoesNotThrow(job::cancel);
            await(job.result());
        }

        @Test
        @DisplayName("accepts a cancel after the copy ended, keeping its result")
        void cancelAfterEnd() {
            CopyJob job = engine.startCopy(copyRequest(newBackupId()), p -> { });
            long size = awaitSuccess(job.result(), "the copy");

            assertDoesNotThrow(job::cancel);
            assertEquals(size, job.result().toCompletableFuture().getNow(-1L));
        }
    }

    /** {@link BackupEngine#deleteArtifact}. */
    @Nested
    @DisplayName("when deleting stored data")
    class DeleteArtifact {

        @Test
        @DisplayName("deletes the data of a finished copy")
        void deletesData() {
            CopyRequest request = copyRequest(newBackupId());
            long size = awaitSuccess(engine.startCopy(request, p -> { }).result(), "the copy");

            awaitSuccess(engine.deleteArtifact(recordOf(request, size)), "the delete");
        }

        @Test
        @DisplayName("succeeds again when the data is already gone")
        void deleteIsIdempotent() {
            CopyRequest request = copyRequest(newBackupId());
            long size = awaitSuccess(engine.startCopy(request, p -> { }).result(), "the copy");
            awaitSuccess(engine.deleteArtifact(recordOf(request, size)), "the first delete");

            awaitSuccess(engine.deleteArtifact(recordOf(request, size)), "the second delete");
        }

        @Test
        @DisplayName("succeeds for a backup that never stored data")
        void deleteOfNothing() {
            awaitSuccess(engine.deleteArtifact(recordOf(copyRequest(newBackupId()), 0)), "the delete");
        }

        @Test
        @DisplayName("answers whether a backup is in use without failing")
        void inUseAnswers() {
            assertDoesNotThrow(() -> engine.inUseBy(recordOf(copyRequest(newBackupId()), 0)));
        }
    }
}
