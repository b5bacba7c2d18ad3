package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Deleting a manual backup")
class DeleteTest {
    private final Harness h = new Harness();

    private BackupRecord completed(String name) {
        String id = h.create(name).backupId();
        h.settle();
        return h.stored(id);
    }

    private void assertRefused(String backupId, ErrorCode code, int status) {
        BackupRecord before = h.store.find(backupId).orElse(null);
        assertThatThrownBy(() -> h.service.delete(PROJECT, backupId))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.httpStatus()).isEqualTo(status);
                });
        assertThat(h.store.find(backupId).orElse(null)).isEqualTo(before);
    }

    @Test
    @DisplayName("goes DELETING, then the engine deletes the data, then the record is gone")
    void deletesDataThenRecord() {
        BackupRecord backup = completed("Nightly");
        assertThat(h.engine.hasArtifact(backup.id())).isTrue();
        BackupRecord deleting = h.service.delete(PROJECT, backup.id());
        assertThat(deleting.status()).isEqualTo(BackupStatus.DELETING);
        assertThat(h.engine.hasArtifact(backup.id())).isFalse();
        assertThat(h.store.find(backup.id())).isEmpty();
        assertThat(h.events.kinds(backup.id())).endsWith(Kind.DELETING, Kind.DELETED);
        assertThatThrownBy(() -> h.service.get(PROJECT, backup.id())).isInstanceOf(BackupException.class);
    }

    @Test
    @DisplayName("is allowed for FAILED and CANCELLED backups too")
    void failedAndCancelled() {
        h.probe.instance(PROJECT, INSTANCE).lockUnavailableFor(2);
        String failed = h.create("Broken").backupId();
        h.advance(Duration.ofMinutes(5));
        h.engine.holdCopies();
        String cancelled = h.create("Stopped").backupId();
        h.settle();
        h.service.cancel(PROJECT, cancelled);
        h.service.delete(PROJECT, failed);
        h.service.delete(PROJECT, cancelled);
        assertThat(h.store.all()).isEmpty();
    }

    @Test
    @DisplayName("is refused while BUILDING: cancel first (409)")
    void building() {
        h.engine.holdCopies();
        String id = h.create("Nightly").backupId();
        h.settle();
        assertRefused(id, ErrorCode.BACKUP_STATUS_CONFLICT, 409);
    }

    @Test
    @DisplayName("is refused for automated backups (400)")
    void automated() {
        String id = h.service.create(Harness.request("Auto1").type(BackupType.AUTOMATED).build()).backupId();
        h.settle();
        assertRefused(id, ErrorCode.BACKUP_TYPE_NOT_DELETABLE, 400);
    }

    @Test
    @DisplayName("is refused while a restore or replication uses the backup (409, retryable)")
    void inUse() {
        BackupRecord backup = completed("Nightly");
        h.engine.setInUse(backup.id(), "restore to instance inst-9");
        assertRefused(backup.id(), ErrorCode.BACKUP_IN_USE, 409);
        assertThat(new BackupException(ErrorCode.BACKUP_IN_USE, "x").retryable()).isTrue();
    }

    @Test
    @DisplayName("of another project or an unknown id is 'not found' (404)")
    void notFound() {
        BackupRecord backup = completed("Nightly");
        assertThatThrownBy(() -> h.service.delete("proj-2", backup.id()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND));
        assertRefused("no-such-backup", ErrorCode.BACKUP_NOT_FOUND, 404);
        assertThat(h.stored(backup.id()).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Nested
    @DisplayName("when the engine cannot delete the data")
    class EngineFailure {
        @Test
        @DisplayName("ends DELETE_FAILED with the reason, keeps the record, and can be retried")
        void deleteFailedThenRetry() {
            BackupRecord backup = completed("Nightly");
            h.engine.failNextDeletes(1);
            h.service.delete(PROJECT, backup.id());
            BackupRecord failed = h.stored(backup.id());
            assertThat(failed.status()).isEqualTo(BackupStatus.DELETE_FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.ARTIFACT_DELETE_FAILED);
            assertThat(failed.lease()).isNull();
            assertThat(h.events.kinds(backup.id())).last().isEqualTo(Kind.DELETE_FAILED);

            h.service.delete(PROJECT, backup.id());
            assertThat(h.store.find(backup.id())).isEmpty();
            assertThat(h.engine.deleteCount(backup.id())).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("that is already DELETING returns it as it is")
    void alreadyDeleting() {
        BackupRecord backup = completed("Nightly");
        var slow = new java.util.concurrent.CompletableFuture<Void>();
        var service = h.baseBuilder("replica-s", h.scheduler).engine(new dev.rdsbackup.api.spi.BackupEngine() {
            @Override
            public dev.rdsbackup.api.spi.CopyJob startCopy(dev.rdsbackup.api.spi.CopyRequest request,
                    java.util.function.Consumer<dev.rdsbackup.api.spi.CopyProgress> progress) {
                return h.engine.startCopy(request, progress);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                return h.engine.stopCopy(backup);
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> deleteArtifact(BackupRecord b) {
                return slow;
            }
        }).build();
        BackupRecord first = service.delete(PROJECT, backup.id());
        BackupRecord second = service.delete(PROJECT, backup.id());
        assertThat(second).isEqualTo(first);
        slow.complete(null);
        h.settle(); // the engine's answer is handed to the service's scheduler
        assertThat(h.store.find(backup.id())).isEmpty();
    }

    @Nested
    @DisplayName("in a batch")
    class Batch {
        @Test
        @DisplayName("gives an outcome per id in order, one refusal not stopping the others")
        void outcomes() {
            BackupRecord a = completed("Aaaa");
            BackupRecord b = completed("Bbbb");
            h.engine.holdCopies();
            BackupHandle building = h.create("Cccc");
            h.settle();
            List<DeleteOutcome> outcomes = h.service.deleteAll(PROJECT,
                    List.of(a.id(), "missing", building.backupId(), b.id()));
            assertThat(outcomes).extracting(DeleteOutcome::backupId)
                    .containsExactly(a.id(), "missing", building.backupId(), b.id());
            assertThat(outcomes).extracting(DeleteOutcome::accepted).containsExactly(true, false, false, true);
            assertThat(outcomes.get(1).error().code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND);
            assertThat(outcomes.get(2).error().code()).isEqualTo(ErrorCode.BACKUP_STATUS_CONFLICT);
            assertThat(h.store.all()).extracting(BackupRecord::id).containsExactly(building.backupId());
        }

        @Test
        @DisplayName("accepts 1 to 50 distinct ids and names the field otherwise")
        void sizeAndDuplicates() {
            List<String> fifty = IntStream.range(0, 50).mapToObj(i -> "id-" + i).toList();
            assertThat(h.service.deleteAll(PROJECT, fifty)).hasSize(50);
            List<String> fiftyOne = new ArrayList<>(fifty);
            fiftyOne.add("id-50");
            assertBatchRefused(fiftyOne, "backupIds");
            assertBatchRefused(Collections.emptyList(), "backupIds");
            assertBatchRefused(List.of("a1", "a1"), "backupIds[1]");
            assertBatchRefused(List.of("ok", "bad id"), "backupIds[1]");
            assertBatchRefused(null, "backupIds");
        }

        private void assertBatchRefused(List<String> ids, String field) {
            assertThatThrownBy(() -> h.service.deleteAll(PROJECT, ids))
                    .isInstanceOfSatisfying(BackupValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::field).containsExactly(field));
        }
    }
}
