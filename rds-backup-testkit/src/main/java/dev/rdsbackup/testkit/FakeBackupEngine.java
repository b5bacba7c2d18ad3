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
 * <p><b>Cancellation.</b> {@link CopyJob#cancel()} is recorded ({@link #cancelCount(String)}), is safe to
 * call many times and after the end, and completes a running copy exceptionally with a
 * {@link CancellationException}; nothing is stored.
 *
 * <p><b>Artifacts.</b> {@link #artifacts()} maps backup ids to stored sizes. {@link #deleteArtifact} removes
 * one and succeeds also when there is none (idempotent), except that {@link #failNextDeletes(int)} makes the
 * next deletes complete exceptionally (the artifact stays). {@link #inUseBy} answers what
 * {@link #setInUse(String, String)} set.
 *
 * <p>Thread-safe. Stages complete on the calling thread, so with a {@link ManualScheduler} everything stays
 * on the test thread.
 */
public final class FakeBackupEngine implements BackupEngine {

    private final Map<String, Copy> running = new LinkedHashMap<>();
    private final List<CopyRequest> requests = new ArrayList<>();
    private final Map<String, Long> artifacts = new LinkedHashMap<>();
    private final Map<String, Integer> cancels = new LinkedHashMap<>();
    private final Map<String, Integer> deletes = new HashMap<>();
    private final Map<String, String> inUse = new HashMap<>();
    private boolean hold;
    private int copiesToFail;
    private int deletesToFail;

    /** An engine that completes copies at once. */
    public FakeBackupEngine() {
    }

    /**
     * From now on, copies stay running until the test completes, fails or cancels them.
     *
     * @return this engine
     */
    public synchronized FakeBackupEngine holdCopies() {
        hold = true;
        return this;
    }

    /**
     * From now on, copies complete at once (the default). Copies already held stay held.
     *
     * @return this engine
     */
    public synchronized FakeBackupEngine completeCopiesAtOnce() {
        hold = false;
        return this;
    }

    /**
     * The next {@code n} copies fail at once with an {@link IllegalStateException}.
     *
     * @param n 0 or more
     * @return this engine
     */
    public synchronized FakeBackupEngine failNextCopies(int n) {
        copiesToFail = requireCount(n);
        return this;
    }

    /**
     * The next {@code n} calls to {@code deleteArtifact} complete exceptionally.
     *
     * @param n 0 or more
     * @return this engine
     */
    public synchronized FakeBackupEngine failNextDeletes(int n) {
        deletesToFail = requireCount(n);
        return this;
    }

    @Override
    public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(progress, "progress");
        Copy copy = new Copy(request, progress);
        boolean failNow;
        boolean holdNow;
        synchronized (this) {
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
        synchronized (this) {
            ids = new ArrayList<>(running.keySet());
        }
        ids.forEach(this::complete);
    }

    private void finish(Copy copy, long sizeBytes) {
        synchronized (this) {
            artifacts.put(copy.request.backupId(), sizeBytes);
        }
        copy.result.complete(sizeBytes);
    }

    private synchronized Copy runningCopy(String backupId) {
        Copy copy = running.get(backupId);
        if (copy == null) {
            throw new IllegalStateException("no copy of backup " + backupId + " is running");
        }
        return copy;
    }

    private synchronized Copy takeRunning(String backupId) {
        Copy copy = runningCopy(backupId);
        running.remove(backupId);
        return copy;
    }

    @Override
    public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
        Objects.requireNonNull(backup, "backup");
        synchronized (this) {
            deletes.merge(backup.id(), 1, Integer::sum);
            if (deletesToFail > 0) {
                deletesToFail--;
                return CompletableFuture.failedFuture(new IllegalStateException("scripted: artifact delete failed"));
            }
            artifacts.remove(backup.id());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Optional<String> inUseBy(BackupRecord backup) {
        return Optional.ofNullable(inUse.get(backup.id()));
    }

    /**
     * Marks a backup as used (by a restore, say), which blocks its deletion, or clears it with {@code null}.
     *
     * @param backupId the backup
     * @param user what uses it, or {@code null}
     * @return this engine
     */
    public synchronized FakeBackupEngine setInUse(String backupId, String user) {
        if (user == null) {
            inUse.remove(backupId);
        } else {
            inUse.put(backupId, user);
        }
        return this;
    }

    /**
     * Stores an artifact as if a copy had produced it (for backups seeded straight into a store).
     *
     * @param backupId the backup
     * @param sizeBytes its size
     * @return this engine
     */
    public synchronized FakeBackupEngine putArtifact(String backupId, long sizeBytes) {
        artifacts.put(backupId, sizeBytes);
        return this;
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

    /** Backup ids of the copies held and still running. */
    public synchronized Set<String> runningCopies() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(running.keySet()));
    }

    /**
     * Whether a held copy of this backup is running.
     *
     * @param backupId the backup
     * @return {@code true} if running
     */
    public synchronized boolean isRunning(String backupId) {
        return running.containsKey(backupId);
    }

    /** Every copy request received, in order. */
    public synchronized List<CopyRequest> copyRequests() {
        return List.copyOf(requests);
    }

    /**
     * How many times the copy of a backup was cancelled (0 if never).
     *
     * @param backupId the backup
     * @return the count
     */
    public synchronized int cancelCount(String backupId) {
        return cancels.getOrDefault(backupId, 0);
    }

    /** Backup ids whose copy was cancelled at least once. */
    public synchronized Set<String> cancelledCopies() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(cancels.keySet()));
    }

    /**
     * How many times {@code deleteArtifact} was called for a backup.
     *
     * @param backupId the backup
     * @return the count
     */
    public synchronized int deleteCount(String backupId) {
        return deletes.getOrDefault(backupId, 0);
    }

    private static int requireCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be 0 or more, was " + n);
        }
        return n;
    }

    private final class Copy implements CopyJob {
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
            synchronized (this) {
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
        public void cancel() {
            synchronized (FakeBackupEngine.this) {
                cancels.merge(request.backupId(), 1, Integer::sum);
                if (running.get(request.backupId()) == this) {
                    running.remove(request.backupId());
                }
            }
            result.completeExceptionally(new CancellationException("copy of " + request.backupId() + " cancelled"));
        }
    }
}
