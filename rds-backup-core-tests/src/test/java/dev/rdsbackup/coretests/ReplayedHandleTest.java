package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The handle of a create replayed on a replica that is not building the backup")
class ReplayedHandleTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));
    private final BackupRequest request = Harness.request("Nightly").clientToken("tok-1").build();

    @Test
    @DisplayName("completes with the ended record once the building replica finishes it")
    void completesWhenTheOwnerFinishes() {
        h.engine.holdCopies();
        BackupHandle original = h.service.create(request);
        h.settle();
        BackupHandle replayed = b.service.create(request);
        CompletableFuture<BackupRecord> completion = replayed.completion().toCompletableFuture();
        assertThat(replayed.backupId()).isEqualTo(original.backupId());
        assertThat(replayed.backup().status()).isEqualTo(BackupStatus.BUILDING);
        b.advanceBoth(LEASE.multipliedBy(2));
        assertThat(completion).as("still building").isNotDone();

        h.engine.complete(original.backupId());
        b.settleBoth();
        b.advanceBoth(LEASE.multipliedBy(2));
        assertThat(completion).isCompleted();
        assertThat(completion.join().status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(completion.join()).isEqualTo(h.stored(original.backupId()));
        assertThat(original.completion().toCompletableFuture().join()).isEqualTo(completion.join());
    }

    @Test
    @DisplayName("completes with CANCELLED when it is cancelled on the building replica")
    void completesWhenCancelledByTheOwner() {
        h.engine.holdCopies();
        BackupHandle original = h.service.create(request);
        h.settle();
        CompletableFuture<BackupRecord> completion = b.service.create(request).completion().toCompletableFuture();
        h.service.cancel(Harness.PROJECT, original.backupId());
        b.settleBoth();
        b.advanceBoth(LEASE.multipliedBy(2));
        assertThat(completion).isCompleted();
        assertThat(completion.join().status()).isEqualTo(BackupStatus.CANCELLED);
    }

    @Test
    @DisplayName("completes with FAILED when the building replica died and recovery ended the backup")
    void completesWhenTheOwnerDied() {
        h.engine.holdCopies();
        BackupHandle original = h.service.create(request);
        h.settle();
        CompletableFuture<BackupRecord> completion = b.service.create(request).completion().toCompletableFuture();
        b.advanceAlone(LEASE.plusSeconds(1));
        b.service.recover();
        b.advanceAlone(LEASE.multipliedBy(2));
        assertThat(completion).isCompleted();
        assertThat(completion.join().status()).isEqualTo(BackupStatus.FAILED);
        assertThat(completion.join().id()).isEqualTo(original.backupId());
    }

    @Test
    @DisplayName("of a backup that already ended is completed at once")
    void alreadyEnded() {
        BackupHandle original = h.service.create(request);
        h.settle();
        assertThat(h.stored(original.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        CompletableFuture<BackupRecord> completion = b.service.create(request).completion().toCompletableFuture();
        assertThat(completion).isCompleted();
        assertThat(completion.join()).isEqualTo(h.stored(original.backupId()));
    }
}
