package dev.rdsbackup.testkit;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What several {@link FakeBackupEngine}s share, as the engines of several control-plane replicas share one
 * backup storage: the stored artifacts, the copies running (so that one engine stops a copy another
 * started), and the deletes held by a test. Build engines on one storage with
 * {@link FakeBackupEngine#FakeBackupEngine(FakeStorage)}.
 *
 * <p>Thread-safe: every engine built on it synchronizes on it.
 */
public final class FakeStorage {

    final Map<String, Long> artifacts = new LinkedHashMap<>();
    /** Running (held) copies by backup id, whichever engine started them. */
    final Map<String, FakeBackupEngine.Copy> running = new LinkedHashMap<>();
    final Map<String, Integer> stops = new LinkedHashMap<>();
    final Map<String, Integer> deletes = new HashMap<>();
    final Map<String, CompletableFuture<Void>> heldDeletes = new LinkedHashMap<>();

    /** An empty storage. */
    public FakeStorage() {
    }

    /** Stored artifacts: backup id to size, in the order stored. */
    public synchronized Map<String, Long> artifacts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
    }

    /**
     * Whether a backup's data is stored.
     *
     * @param backupId the backup
     * @return {@code true} if stored
     */
    public synchronized boolean hasArtifact(String backupId) {
        return artifacts.containsKey(backupId);
    }

    /**
     * Stores an artifact as if a copy had produced it.
     *
     * @param backupId the backup
     * @param sizeBytes its size
     */
    public synchronized void putArtifact(String backupId, long sizeBytes) {
        artifacts.put(backupId, sizeBytes);
    }

    /** Backup ids of the copies running, on any engine built on this storage. */
    public synchronized Set<String> runningCopies() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(running.keySet()));
    }

    /** Backup ids whose deletes are held, waiting for the test. */
    public synchronized Set<String> heldDeletes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(heldDeletes.keySet()));
    }

    @Override
    public synchronized String toString() {
        return "FakeStorage[" + artifacts.size() + " artifacts, " + running.size() + " copies running]";
    }
}
