package dev.rdsbackup.testkit.contract;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.FakeStorage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/** Engines with one deliberate bug each, over a {@link FakeBackupEngine} on a storage the kit can see. */
final class BrokenEngines {

    private BrokenEngines() {
    }

    /** Forwards everything to a fake engine on the shared storage; each broken engine overrides one call. */
    static class Engine implements BackupEngine {
        final FakeStorage storage;
        final FakeBackupEngine fake;

        Engine(FakeStorage storage) {
            this.storage = storage;
            this.fake = new FakeBackupEngine(storage);
        }

        @Override
        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            return fake.startCopy(request, progress);
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            return fake.stopCopy(backup);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            return fake.deleteArtifact(backup);
        }
    }

    /** Stops the copy but leaves what it wrote. */
    static final class StopKeepsData extends Engine {
        StopKeepsData(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            Long size = storage.artifacts().get(backup.id());
            return fake.stopCopy(backup).thenRun(() -> {
                if (size != null) {
                    storage.putArtifact(backup.id(), size);
                }
            });
        }
    }

    /** Stops only the copies this instance started (it looks them up in its own memory). */
    static final class StopsOwnCopiesOnly extends Engine {
        private final Set<String> started = new HashSet<>();

        StopsOwnCopiesOnly(FakeStorage storage) {
            super(storage);
        }

        @Override
        public synchronized CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            started.add(request.backupId());
            return super.startCopy(request, progress);
        }

        @Override
        public synchronized CompletionStage<Void> stopCopy(BackupRecord backup) {
            return started.contains(backup.id()) ? super.stopCopy(backup) : CompletableFuture.completedFuture(null);
        }
    }

    /** Fails a stop of a copy that is already stopped. */
    static final class StopNotIdempotent extends Engine {
        private final Set<String> stopped = new HashSet<>();

        StopNotIdempotent(FakeStorage storage) {
            super(storage);
        }

        @Override
        public synchronized CompletionStage<Void> stopCopy(BackupRecord backup) {
            if (!stopped.add(backup.id())) {
                return CompletableFuture.failedFuture(new IllegalStateException("copy already stopped"));
            }
            return super.stopCopy(backup);
        }
    }

    /** Fails a stop of a copy it has never heard of. */
    static final class StopRejectsUnknownCopy extends Engine {
        StopRejectsUnknownCopy(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            if (fake.copyRequests().stream().noneMatch(r -> r.backupId().equals(backup.id()))) {
                return CompletableFuture.failedFuture(new IllegalStateException("no copy " + backup.id()));
            }
            return super.stopCopy(backup);
        }
    }

    /** Removes partial data by prefix ({@code rm -rf backups/backup-1*}). */
    static final class StopByPrefix extends Engine {
        StopByPrefix(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> stopCopy(BackupRecord backup) {
            return super.stopCopy(backup).thenRun(() -> removeByPrefix(fake, storage, backup.id()));
        }
    }

    /** Deletes data by prefix: {@code backup-1} takes {@code backup-10} with it. */
    static final class DeleteByPrefix extends Engine {
        DeleteByPrefix(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            removeByPrefix(fake, storage, backup.id());
            return CompletableFuture.completedFuture(null);
        }
    }

    static void removeByPrefix(FakeBackupEngine fake, FakeStorage storage, String prefix) {
        for (String id : storage.artifacts().keySet()) {
            if (id.startsWith(prefix)) {
                fake.deleteArtifact(BackupRecord.builder().id(id).projectId("p").instanceId("i").name("n")
                        .datastore(new dev.rdsbackup.api.Datastore("MySQL", "8.0"))
                        .beginTime(java.time.Instant.EPOCH).build());
            }
        }
    }

    /** Answers success and deletes nothing. */
    static final class DeleteKeepsData extends Engine {
        DeleteKeepsData(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Fails a delete when the data is already gone. */
    static final class DeleteNotIdempotent extends Engine {
        DeleteNotIdempotent(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
            if (!storage.hasArtifact(backup.id())) {
                return CompletableFuture.failedFuture(new IllegalStateException("no such object " + backup.id()));
            }
            return super.deleteArtifact(backup);
        }
    }

    /** Reports the progress of a restarted upload: back to 0 halfway. */
    static final class ProgressGoesBackwards extends Engine {
        ProgressGoesBackwards(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            progress.accept(new CopyProgress(request.dataSizeBytes() / 2, request.dataSizeBytes()));
            return super.startCopy(request, p -> progress.accept(new CopyProgress(0, request.dataSizeBytes())));
        }
    }

    /** Completes copies without storing anything. */
    static final class CopyStoresNothing extends Engine {
        CopyStoresNothing(FakeStorage storage) {
            super(storage);
        }

        @Override
        public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
            CopyJob job = super.startCopy(request, progress);
            job.result().thenRun(() -> removeByPrefix(fake, storage, request.backupId()));
            return job;
        }
    }

    static Map<String, BrokenCase<Function<FakeStorage, Engine>>> catalogue() {
        return BrokenCase.catalogue(
                BrokenCase.of("keeps a stopped copy's data", () -> StopKeepsData::new, "stopDiscardsData"),
                BrokenCase.of("stops only copies it started itself", () -> StopsOwnCopiesOnly::new,
                        "stopFromAnotherInstance"),
                BrokenCase.of("fails a second stop", () -> StopNotIdempotent::new, "stopIsIdempotent"),
                BrokenCase.of("fails the stop of a copy it never started", () -> StopRejectsUnknownCopy::new,
                        "stopIsIdempotent", "stopFromAnotherInstance"),
                BrokenCase.of("stops by prefix", () -> StopByPrefix::new, "stopLeavesOthersAlone"),
                BrokenCase.of("deletes by prefix", () -> DeleteByPrefix::new, "deleteLeavesOthersAlone"),
                BrokenCase.of("deletes nothing", () -> DeleteKeepsData::new, "deletesData", "deleteLeavesOthersAlone"),
                BrokenCase.of("fails a second delete", () -> DeleteNotIdempotent::new, "deleteIsIdempotent",
                        "deleteOfNothing"),
                BrokenCase.of("reports progress going backwards", () -> ProgressGoesBackwards::new,
                        "progressNeverGoesBackwards"),
                BrokenCase.of("stores nothing", () -> CopyStoresNothing::new, "endsWithASize"));
    }
}
