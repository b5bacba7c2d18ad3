package dev.rdsbackup.coretests.faults;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.Verification;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** An {@link InstanceProbe} that passes every call on: extend it and override what a test changes. */
public class ForwardingProbe implements InstanceProbe {
    private final InstanceProbe delegate;

    /**
     * Wraps a probe.
     *
     * @param delegate where calls go unless overridden
     */
    public ForwardingProbe(InstanceProbe delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Optional<InstanceInfo> describe(String projectId, String instanceId) {
        return delegate.describe(projectId, instanceId);
    }

    @Override
    public CompletionStage<Verification> verify(String projectId, String instanceId) {
        return delegate.verify(projectId, instanceId);
    }

    @Override
    public void releaseLock(BackupLock lock) {
        delegate.releaseLock(lock);
    }
}
