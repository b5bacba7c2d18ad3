package dev.rdsbackup.testkit;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link BackupEngine} that copies nothing and does what the test says.
 *
 * <p><b>Copies.</b> In the default mode, {@link #startCopy} reports progress {@code (size, size)} and
 * returns a copy already completed with {@code size} = the request's data size; the backup's artifact is
 * then stored. After {@link #holdCopies()}, a copy stays running until the test calls
 * {@link #progress(String, long)}, {@link #complete(String)}, {@link #complete(String, long)} or
 * {@link #fail(String, RuntimeException)} with its backup id. {@link #failNextCopies(int)} makes the next
 * copies complete exceptionally at once. Progress is never reported backwards: asking for it throws
 * {@link IllegalArgumentException}.
 *
 * <p><b>Stopping.</b> {@link #stopCopy} (and the deprecated {@code CopyJob.cancel()}) is recorded
 * ({@link #cancelCount(String)}), is safe to call many times, before a copy started and after it ended,
 * completes a running copy exceptionally with a {@link CancellationException}, and discards the copy's
 * data (also when the copy had already completed). It finds the copy by backup id in the
 * {@link FakeStorage}, so an engine stops a copy that another engine built on the same storage started.
 *
 * <p><b>Deletes.</b> In the default mode {@link #deleteArtifact} removes the artifact at once. After
 * {@link #holdDeletes()}, a delete stays pending until the test calls {@link #completeDelete(String)} or
 * {@link #failDelete(String, RuntimeException)}: the backup stays {@code DELETING}, and a replica that
 * crashes meanwhile leaves the delete to another one (a second delete of the same backup joins the
 * pending one).
 *
 * <p><b>Artifacts.</b> {@link #artifacts()} maps backup ids to stored sizes. {@link #deleteArtifact} removes
 * one and succeeds also when there is none (idempotent), except that {@link #failNextDeletes(int)} makes the
 * next deletes complete exceptionally (the artifact stays). {@link #inUseBy} answers what
 * {@link #setInUse(String, String)} set.
 *
 * <p>Several engines can share one {@link FakeStorage} (artifacts, running copies, held deletes, stop and
 * delete counts), as the replicas of a control plane share one backup storage; settings such as
 * {@link #holdCopies()} and the copy requests seen are each engine's own.
 *
 * <p>Thread-safe. Stages complete on the calling thread, so with a {@link ManualScheduler} everything stays
 * on the test thread.
 */
public final class FakeBackupEngine implements BackupEngine {

    private final FakeStorage storage;
    private final Map<String, Copy> running;
    private final Map<String, Long> artifacts;
    private final Map<String, Integer> cancels;
    private final Map<String, Integer> deletes;
    private final List<CopyRequest> requests = new ArrayList<>();
    private final Map<String, String> inUse = new HashMap<>();
    private boolean hold;
    private boolean holdDeletes;
    private int copiesToFail;
    private int deletesToFail;

    /** An engine on a storage of its own that completes copies at once. */
    public FakeBackupEngine() {
        this(new FakeStorage());
    }

    /**
     * An engine on a shared storage, as another replica's engine would be.
     *
     * @param storage the storage it shares with other engines
     */
    public FakeBackupEngine(FakeStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.running = storage.running;
        this.artifacts = storage.artifacts;
        this.cancels = storage.stops;
        this.deletes = storage.deletes;
    }

    /** The storage this engine works on. */
    public FakeStorage storage() {
        return storage;
    }

    /**
     * From now on, deletes stay pending until the test completes or fails them.
     *
     * @return this engine
     */
    public FakeBackupEngine holdDeletes() {
        synchronized (storage) {
            holdDeletes = true;
        }
        return this;
    }

    /**
     * From now on, deletes complete at once (the default). Deletes already held stay held.
     *
     * @return this engine
     */
    public FakeBackupEngine completeDeletesAtOnce() {
        synchronized (storage) {
            holdDeletes = false;
        }
        return this;
    }

    /**
     * Completes a held delete: the artifact is gone.
     *
     * @param backupId the backup
     * @throws IllegalStateException if no delete of that backup is held
     */
    public void completeDelete(String backupId) {
        CompletableFuture<Void> pending;
        synchronized (storage) {
            pending = takeHeldDelete(backupId);
            artifacts.remove(backupId);
        }
        pending.complete(null);
    }

    /**
     * Fails a held delete: the artifact stays.
     *
     * @param backupId the backup
     * @param failure what the stage completes with
     * @throws IllegalStateException if no delete of that backup is held
     */
    public void failDelete(String backupId, RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        CompletableFuture<Void> pending;
        synchronized (storage) {
            pending = takeHeldDelete(backupId);
        }
        pending.completeExceptionally(failure);
    }

    /** Backup ids whose deletes are held, on this engine's storage. */
    public Set<String> heldDeletes() {
        return storage.heldDeletes();
    }

    private CompletableFuture<Void> takeHeldDelete(String backupId) {
        CompletableFuture<Void> pending = storage.heldDeletes.remove(backupId);
        if (pending == null) {
            throw new IllegalStateException("no delete of backup " + backupId + " is held");
        }
        return pending;
    }

    /**
     * From now on, copies stay running until the test completes, fails or cancels them.
     *
     * @return this engine
     */
    public FakeBackupEngine holdCopies() {
        synchronized (storage) {
            hold = true;
        }
        return this;
    }

    /**
     * From now on, copies complete at once (the default). Copies already held stay held.
     *
     * @return this engine
     */
    public FakeBackupEngine completeCopiesAtOnce() {
        synchronized (storage) {
            hold = false;
        }
        return this;
    }

    /**
     * The next {@code n} copies fail at once with an {@link IllegalStateException}.
     *
     * @param n 0 or more
     * @return this engine
     */
    public FakeBackupEngine failNextCopies(int n) {
        synchronized (storage) {
            copiesToFail = requireCount(n);
        }
        return this;
    }

    /**
     * The next {@code n} calls to {@code deleteArtifact} complete exceptionally.
     *
     * @param n 0 or more
     * @return this engine
     */
    public FakeBackupEngine failNextDeletes(int n) {
        synchronized (storage) {
            deletesToFail = requireCount(n);
        }
        return this;
    }

    @Override
    public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(progress, "progress");
        Copy copy = new Copy(request, progress);
        boolean failNow;
        boolean holdNow;
        synchronized (storage) {
            requests.add(request);
            failNow = copiesToFail > 0;
            if (failNow) {
                copiesToFail--;
            }
            holdNow = hold && !failNow;
            if (holdNow) {
                running.put(request.backupId(), copy);
            }
        }
        if (failNow) {
            copy.result.completeExceptionally(new IllegalStateException("scripted: copy failed"));
        } else if (!holdNow) {
            copy.report(request.dataSizeBytes());
            finish(copy, request.dataSizeBytes());
        }
        return copy;
    }

    /**
     * Reports progress of a held copy (total = the request's data size).
     *
     * @param backupId the backup
     * @param bytesCopied not less than reported before
     * @throws IllegalArgumentException if it would go backwards
     * @throws IllegalStateException if no copy of that backup is running
     */
    public void progress(String backupId, long bytesCopied) {
        runningCopy(backupId).report(bytesCopied);
    }

    /**
     * Completes a held copy with the request's data size as its stored size.
     *
     * @param backupId the backup
     */
    public void complete(String backupId) {
        Copy copy = runningCopy(backupId);
        complete(backupId, copy.request.dataSizeBytes());
    }

    /**
     * Completes a held copy.
     *
     * @param backupId the backup
     * @param sizeBytes the stored size
     */
    public void complete(String backupId, long sizeBytes) {
        Copy copy = takeRunning(backupId);
        finish(copy, sizeBytes);
    }

    /**
     * Fails a held copy.
     *
     * @param backupId the backup
     * @param failure what the stage completes with
     */
    public void fail(String backupId, RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        takeRunning(backupId).result.completeExceptionally(failure);
    }

    /** Completes every held copy with its data size, oldest first. */
    public void completeAll() {
        List<String> ids;
        synchronized (storage) {
            ids = new ArrayList<>(running.keySet());
        }
        ids.forEach(this::complete);
    }

    private void finish(Copy copy, long sizeBytes) {
        synchronized (storage) {
            artifacts.put(copy.request.backupId(), sizeBytes);
        }
        copy.result.complete(sizeBytes);
    }

    private Copy runningCopy(String backupId) {
        synchronized (storage) {
            Copy copy = running.get(backupId);
            if (copy == null) {
                throw new IllegalStateException("no copy of backup " + backupId + " is running");
            }
            return copy;
        }
    }

    private Copy takeRunning(String backupId) {
        synchronized (storage) {
            Copy copy = runningCopy(backupId);
            running.remove(backupId);
            return copy;
        }
    }

    @Override
    public CompletionStage<Void> stopCopy(BackupRecord backup) {
        Objects.requireNonNull(backup, "backup");
        stop(backup.id());
        return CompletableFuture.completedFuture(null);
    }

    /** Stops the running copy of a backup, if any, and discards its data (also after it ended). */
    private void stop(String backupId) {
        Copy copy;
        synchronized (storage) {
            cancels.merge(backupId, 1, Integer::sum);
            copy = running.remove(backupId);
            artifacts.remove(backupId);
        }
        if (copy != null) {
            copy.result.completeExceptionally(new CancellationException("copy of " + backupId + " stopped"));
        }
    }

    @Override
    public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
        Objects.requireNonNull(backup, "backup");
        synchronized (storage) {
            deletes.merge(backup.id(), 1, Integer::sum);
            if (deletesToFail > 0) {
                deletesToFail--;
                return CompletableFuture.failedFuture(new IllegalStateException("scripted: artifact delete failed"));
            }
            if (holdDeletes) {
                return storage.heldDeletes.computeIfAbsent(backup.id(), id -> new CompletableFuture<>())
                        .thenApply(done -> done);
            }
            artifacts.remove(backup.id());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Optional<String> inUseBy(BackupRecord backup) {
        synchronized (storage) {
            return Optional.ofNullable(inUse.get(backup.id()));
        }
    }

    /**
     * Marks a backup as used (by a restore, say), which blocks its deletion, or clears it with {@code null}.
     *
     * @param backupId the backup
     * @param user what uses it, or {@code null}
     * @return this engine
     */
    public FakeBackupEngine setInUse(String backupId, String user) {
        synchronized (storage) {
            if (user == null) {
                inUse.remove(backupId);
            } else {
                inUse.put(backupId, user);
            }
            return this;
        }
    }

    /**
     * Stores an artifact as if a copy had produced it (for backups seeded straight into a store).
     *
     * @param backupId the backup
     * @param sizeBytes its size
     * @return this engine
     */
    public FakeBackupEngine putArtifact(String backupId, long sizeBytes) {
        synchronized (storage) {
            artifacts.put(backupId, sizeBytes);
            return this;
        }
    }

    /** Stored artifacts: backup id to size, in the order stored. */
    public Map<String, Long> artifacts() {
        synchronized (storage) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(artifacts));
        }
    }

    /**
     * Whether a backup's data is stored.
     *
     * @param backupId the backup
     * @return {@code true} if stored
     */
    public boolean hasArtifact(String backupId) {
        synchronized (storage) {
            return artifacts.containsKey(backupId);
        }
    }

    /** Backup ids of the copies held and still running. */
    public Set<String> runningCopies() {
        synchronized (storage) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(running.keySet()));
        }
    }

    /**
     * Whether a held copy of this backup is running.
     *
     * @param backupId the backup
     * @return {@code true} if running
     */
    public boolean isRunning(String backupId) {
        synchronized (storage) {
            return running.containsKey(backupId);
        }
    }

    /** Every copy request received, in order. */
    public List<CopyRequest> copyRequests() {
        synchronized (storage) {
            return List.copyOf(requests);
        }
    }

    /**
     * How many times the copy of a backup was cancelled (0 if never).
     *
     * @param backupId the backup
     * @return the count
     */
    public int cancelCount(String backupId) {
        synchronized (storage) {
            return cancels.getOrDefault(backupId, 0);
        }
    }

    /** Backup ids whose copy was cancelled at least once. */
    public Set<String> cancelledCopies() {
        synchronized (storage) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(cancels.keySet()));
        }
    }

    /**
     * How many times {@code deleteArtifact} was called for a backup.
     *
     * @param backupId the backup
     * @return the count
     */
    public int deleteCount(String backupId) {
        synchronized (storage) {
            return deletes.getOrDefault(backupId, 0);
        }
    }

    private static int requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be 0 or more, was " + n);
        }
        return n;
    }

    /** A copy this engine started; kept in the shared storage while it runs. */
    final class Copy implements CopyJob {
        private final CopyRequest request;
        private final Consumer<CopyProgress> listener;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long reported = -1;

        Copy(CopyRequest request, Consumer<CopyProgress> listener) {
            this.request = request;
            this.listener = listener;
        }

        void report(long bytesCopied) {
            CopyProgress progress;
            synchronized (storage) {
                if (bytesCopied < reported) {
                    throw new IllegalArgumentException("progress must not go backwards: " + bytesCopied
                            + " after " + reported);
                }
                reported = bytesCopied;
                progress = new CopyProgress(bytesCopied, Math.max(request.dataSizeBytes(), bytesCopied));
            }
            listener.accept(progress);
        }

        @Override
        public CompletionStage<Long> result() {
            return result;
        }

        @Override
        @SuppressWarnings("removal")
        public void cancel() {
            stop(request.backupId());
        }
    }
}
