package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.Verification;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * One replica's view of the shared scripted probe: notes which replica each backup lock was handed to, so
 * the world knows the locks a replica that died was holding in memory only (they die with it: a real backup
 * lock is held by the replica's session).
 */
final class ReplicaProbe implements InstanceProbe {
    private final String replicaId;
    private final InstanceProbe delegate;
    private final Map<String, String> obtainedBy;
    private final Set<String> exited;
    private final Set<String> deadOnArrival;

    /**
     * @param obtainedBy where to note each lock's replica (by token)
     * @param exited replicas whose process is gone (crashed or closed)
     * @param deadOnArrival where to note locks handed to a replica after it was gone
     */
    ReplicaProbe(String replicaId, InstanceProbe delegate, Map<String, String> obtainedBy, Set<String> exited,
            Set<String> deadOnArrival) {
        this.replicaId = replicaId;
        this.delegate = delegate;
        this.obtainedBy = obtainedBy;
        this.exited = exited;
        this.deadOnArrival = deadOnArrival;
    }

    @Override
    public Optional<InstanceInfo> describe(String projectId, String instanceId) {
        return delegate.describe(projectId, instanceId);
    }

    @Override
    public CompletionStage<Verification> verify(String projectId, String instanceId) {
        return delegate.verify(projectId, instanceId).thenApply(v -> {
            if (v instanceof Verification.Verified verified) {
                obtainedBy.put(verified.lock().token(), replicaId);
                if (exited.contains(replicaId)) {
                    deadOnArrival.add(verified.lock().token());
                }
            }
            return v;
        });
    }

    @Override
    public void releaseLock(BackupLock lock) {
        delegate.releaseLock(lock);
    }
}
