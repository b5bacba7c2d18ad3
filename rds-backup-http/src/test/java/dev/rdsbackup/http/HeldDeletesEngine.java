package dev.rdsbackup.http;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Wraps the fixture's engine so that deleting data takes time, as it does for real: each delete waits until the test
 * calls {@link #finishDeletes()}, which hands it to the wrapped engine (which deletes, or fails as scripted).
 */
final class HeldDeletesEngine implements BackupEngine {
    private final BackupEngine engine;
    private final List<Runnable> held = new ArrayList<>();

    HeldDeletesEngine(BackupEngine engine) {
        this.engine = engine;
    }

    @Override
    public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
        return engine.startCopy(request, progress);
    }

    @Override
    public CompletionStage<Void> stopCopy(BackupRecord backup) {
        return engine.stopCopy(backup);
    }

    @Override
    public synchronized CompletionStage<Void> deleteArtifact(BackupRecord backup) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        held.add(() -> engine.deleteArtifact(backup).whenComplete((ok, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }));
        return done;
    }

    @Override
    public Optional<String> inUseBy(BackupRecord backup) {
        return engine.inUseBy(backup);
    }

    /**
     * Lets every held delete go on.
     *
     * @return how many there were
     */
    int finishDeletes() {
        List<Runnable> now;
        synchronized (this) {
            now = List.copyOf(held);
            held.clear();
        }
        now.forEach(Runnable::run);
        return now.size();
    }
}
