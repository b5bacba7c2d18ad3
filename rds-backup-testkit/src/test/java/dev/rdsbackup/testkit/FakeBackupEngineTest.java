package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The fake backup engine")
class FakeBackupEngineTest {

    private static final Datastore MYSQL = new Datastore("MySQL", "8.0");

    private final FakeBackupEngine engine = new FakeBackupEngine();
    private final List<CopyProgress> progress = new ArrayList<>();

    private static CopyRequest request(String id) {
        return new CopyRequest(id, "p", "i", MYSQL, List.of(), new BackupLock("i", "t"), 10, 2_000);
    }

    private static BackupRecord record(String id) {
        return BackupRecord.builder().id(id).projectId("p").instanceId("i").name("name").datastore(MYSQL)
                .status(BackupStatus.COMPLETED).beginTime(Instant.EPOCH).build();
    }

    @Test
    @DisplayName("completes a copy at once with the data size and stores the artifact")
    void completesAtOnce() {
        CopyJob job = engine.startCopy(request("b-1"), progress::add);

        assertThat(job.result().toCompletableFuture()).isCompletedWithValue(2_000L);
        assertThat(progress).containsExactly(new CopyProgress(2_000, 2_000));
        assertThat(engine.artifacts()).containsEntry("b-1", 2_000L);
        assertThat(engine.copyRequests()).containsExactly(request("b-1"));
    }

    @Test
    @DisplayName("holds copies until the test reports progress and completes them")
    void holdsCopies() {
        engine.holdCopies();
        CopyJob job = engine.startCopy(request("b-1"), progress::add);

        assertThat(job.result().toCompletableFuture()).isNotDone();
        engine.progress("b-1", 500);
        engine.complete("b-1", 1_500);

        assertThat(progress).containsExactly(new CopyProgress(500, 2_000));
        assertThat(job.result().toCompletableFuture()).isCompletedWithValue(1_500L);
        assertThat(engine.isRunning("b-1")).isFalse();
    }

    @Test
    @DisplayName("refuses to report progress going backwards")
    void progressNeverBackwards() {
        engine.holdCopies().startCopy(request("b-1"), progress::add);
        engine.progress("b-1", 500);

        assertThatThrownBy(() -> engine.progress("b-1", 499)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("fails copies on demand, held or at once")
    void failsOnDemand() {
        engine.failNextCopies(1);
        assertThat(engine.startCopy(request("b-1"), progress::add).result().toCompletableFuture())
                .isCompletedExceptionally();

        engine.holdCopies();
        CopyJob held = engine.startCopy(request("b-2"), progress::add);
        engine.fail("b-2", new IllegalStateException("disk full"));

        assertThat(held.result().toCompletableFuture()).isCompletedExceptionally();
        assertThat(engine.artifacts()).isEmpty();
    }

    @Test
    @DisplayName("records every cancellation and ends the copy without an artifact")
    void recordsCancellation() {
        engine.holdCopies();
        CopyJob job = engine.startCopy(request("b-1"), progress::add);

        job.cancel();
        job.cancel();

        assertThat(job.result().toCompletableFuture()).isCompletedExceptionally();
        assertThat(engine.cancelCount("b-1")).isEqualTo(2);
        assertThat(engine.runningCopies()).isEmpty();
        assertThat(engine.hasArtifact("b-1")).isFalse();
    }

    @Test
    @DisplayName("deletes artifacts idempotently and fails deletes on demand")
    void deletes() {
        engine.putArtifact("b-1", 10);
        engine.failNextDeletes(1);

        assertThat(engine.deleteArtifact(record("b-1")).toCompletableFuture()).isCompletedExceptionally();
        assertThat(engine.hasArtifact("b-1")).isTrue();
        assertThat(engine.deleteArtifact(record("b-1")).toCompletableFuture()).isCompleted();
        assertThat(engine.deleteArtifact(record("b-1")).toCompletableFuture()).isCompleted();
        assertThat(engine.hasArtifact("b-1")).isFalse();
        assertThat(engine.deleteCount("b-1")).isEqualTo(3);
    }

    @Test
    @DisplayName("answers in use as the test set it")
    void inUse() {
        engine.setInUse("b-1", "restore r-1");

        assertThat(engine.inUseBy(record("b-1"))).contains("restore r-1");
        assertThat(engine.setInUse("b-1", null).inUseBy(record("b-1"))).isEmpty();
    }

    @Test
    @DisplayName("stops a copy that another engine on the same storage started, and discards its data")
    void stopsAcrossEnginesSharingStorage() {
        FakeStorage storage = new FakeStorage();
        FakeBackupEngine a = new FakeBackupEngine(storage).holdCopies();
        FakeBackupEngine b = new FakeBackupEngine(storage);
        CopyJob job = a.startCopy(request("b-1"), p -> { });
        a.progress("b-1", 40);

        b.stopCopy(record("b-1")).toCompletableFuture().join();

        assertThat(job.result().toCompletableFuture()).isCompletedExceptionally();
        assertThat(a.isRunning("b-1")).isFalse();
        assertThat(storage.hasArtifact("b-1")).isFalse();
        assertThat(a.cancelCount("b-1")).isEqualTo(1);
    }

    @Test
    @DisplayName("holds deletes until the test completes or fails them; a second delete joins the held one")
    void holdsDeletes() {
        FakeBackupEngine deleting = new FakeBackupEngine().putArtifact("b-1", 10).putArtifact("b-2", 10).holdDeletes();

        CompletableFuture<Void> first = deleting.deleteArtifact(record("b-1")).toCompletableFuture();
        CompletableFuture<Void> again = deleting.deleteArtifact(record("b-1")).toCompletableFuture();
        CompletableFuture<Void> other = deleting.deleteArtifact(record("b-2")).toCompletableFuture();
        assertThat(deleting.heldDeletes()).containsExactly("b-1", "b-2");
        assertThat(first).isNotDone();
        assertThat(deleting.hasArtifact("b-1")).isTrue();

        deleting.completeDelete("b-1");
        deleting.failDelete("b-2", new IllegalStateException("storage down"));

        assertThat(first).isCompleted();
        assertThat(again).isCompleted();
        assertThat(deleting.hasArtifact("b-1")).isFalse();
        assertThat(other).isCompletedExceptionally();
        assertThat(deleting.hasArtifact("b-2")).isTrue();
        assertThatThrownBy(() -> deleting.completeDelete("b-1")).isInstanceOf(IllegalStateException.class);
    }
}
