package dev.rdsbackup.coretests.faults;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A {@link BackupEngine} that passes every call on: extend it and override what a test changes. */
public class ForwardingEngine implements BackupEngine {
    private final BackupEngine delegate;

    /**
     * Wraps an engine.
     *
     * @param delegate where calls go unless overridden
     */
    public ForwardingEngine(BackupEngine delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
        return delegate.startCopy(request, progress);
    }

    @Override
    public CompletionStage<Void> stopCopy(BackupRecord backup) {
        return delegate.stopCopy(backup);
    }

    @Override
    public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
        return delegate.deleteArtifact(backup);
    }
}
