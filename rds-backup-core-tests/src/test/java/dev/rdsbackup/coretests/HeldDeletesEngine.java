package dev.rdsbackup.coretests;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.testkit.FakeBackupEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The testkit's engine, except that artifact deletes do not answer until the test says so (a slow object
 * store), and the progress callback of every copy is kept so a test can report any progress, also progress
 * going backwards.
 */
final class HeldDeletesEngine implements BackupEngine {
    /** The engine every copy goes to; set once the harness that owns it exists. */
    FakeBackupEngine fake;
    final List<CompletableFuture<Void>> pendingDeletes = new ArrayList<>();
    final List<Consumer<CopyProgress>> progressCallbacks = new ArrayList<>();
    boolean holdDeletes = true;

    @Override
    public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
        progressCallbacks.add(progress);
        return fake.startCopy(request, progress);
    }

    @Override
    public CompletionStage<Void> stopCopy(BackupRecord backup) {
        return fake.stopCopy(backup);
    }

    @Override
    public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
        if (!holdDeletes) {
            return fake.deleteArtifact(backup);
        }
        CompletableFuture<Void> pending = new CompletableFuture<>();
        pendingDeletes.add(pending);
        return pending.thenCompose(done -> fake.deleteArtifact(backup));
    }

    @Override
    public Optional<String> inUseBy(BackupRecord backup) {
        return fake.inUseBy(backup);
    }

    /** Answers the held delete number {@code index} (in the order asked). */
    void answerDelete(int index) {
        pendingDeletes.get(index).complete(null);
    }
}
