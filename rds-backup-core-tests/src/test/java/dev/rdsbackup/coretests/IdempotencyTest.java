package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A create retried with the same client token")
class IdempotencyTest {
    private final Harness h = new Harness();
    private final BackupRequest request = Harness.request("Nightly").clientToken("req-42 retry").build();

    @Test
    @DisplayName("returns the original backup while it is building, and its completion")
    void whileBuilding() {
        h.engine.holdCopies();
        BackupHandle first = h.service.create(request);
        h.settle();
        BackupHandle again = h.service.create(request);
        assertThat(again.backupId()).isEqualTo(first.backupId());
        assertThat(h.store.all()).hasSize(1);
        h.engine.complete(first.backupId());
        h.settle(); // the engine's answer is handed to the service's scheduler
        assertThat(again.completion().toCompletableFuture()).isCompletedWithValueMatching(
                r -> r.status() == BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("returns the original backup whatever state it is in now")
    void afterItEnded() {
        BackupHandle first = h.service.create(request);
        h.settle();
        h.service.delete(PROJECT, first.backupId());
        // Deleted: the token is free again and a new backup is made.
        BackupHandle fresh = h.service.create(request);
        assertThat(fresh.backupId()).isNotEqualTo(first.backupId());
        h.settle();
        BackupRecord done = h.stored(fresh.backupId());
        BackupHandle again = h.service.create(request);
        assertThat(again.backup()).isEqualTo(done);
        assertThat(again.completion().toCompletableFuture()).isCompletedWithValue(done);
    }

    @Test
    @DisplayName("with different parameters is refused with 409 and changes nothing")
    void differentParameters() {
        BackupHandle first = h.service.create(request);
        h.settle();
        BackupRecord before = h.stored(first.backupId());
        assertThatThrownBy(() -> h.service.create(request.toBuilder().name("Other").build()))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
        assertThatThrownBy(() -> h.service.create(request.toBuilder().description("changed").build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT));
        assertThat(h.store.all()).containsExactly(before);
    }

    @Test
    @DisplayName("in another project is a different token")
    void tokensArePerProject() {
        h.probe.addInstance("proj-2", Harness.INSTANCE);
        h.service.create(request);
        h.settle();
        BackupHandle other = h.service.create(request.toBuilder().projectId("proj-2").build());
        h.settle();
        assertThat(h.store.all()).hasSize(2);
        assertThat(other.backup().projectId()).isEqualTo("proj-2");
    }
}
