package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The deletion of a backup's data under store and engine faults: each ends with the record removed (and
 * {@code onDeleted} told once) or marked {@code DELETE_FAILED} (and {@code onDeleteFailed} told once), at the
 * moment the retry schedule says, never both and never neither.
 */
@DisplayName("A deletion under faults")
class DeletionFaultsTest {
    private static final Duration STALL = Duration.ofMinutes(10);
    private static final Duration LEASE = Duration.ofMinutes(3);

    private final Harness h = new Harness();
    private final FaultInjectingStore faulty = new FaultInjectingStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-d", h.scheduler).store(faulty)
            .stallTimeout(STALL).leaseDuration(LEASE).build();

    private String completed() {
        String id = service.create(Harness.request("Nightly").build()).backupId();
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        return id;
    }

    private long told(String id, Kind kind) {
        return h.events.kinds(id).stream().filter(k -> k == kind).count();
    }

    @Test
    @DisplayName("an engine that never answers is given up at the stall timeout, not before: DELETE_FAILED")
    void engineNeverAnswers() {
        String id = completed();
        h.engine.holdDeletes();
        service.delete(PROJECT, id);
        h.advance(STALL.minusSeconds(1));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        h.advance(Duration.ofSeconds(1));
        BackupRecord failed = h.stored(id);
        assertThat(failed.status()).isEqualTo(BackupStatus.DELETE_FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.ARTIFACT_DELETE_FAILED);
        assertThat(failed.failure().message()).contains("no answer within " + STALL);
        assertThat(failed.lease()).isNull();
        assertThat(told(id, Kind.DELETE_FAILED)).isOne();
        assertThat(service.inFlight()).isZero();

        h.engine.completeDelete(id); // the late answer changes nothing
        h.settle();
        assertThat(h.stored(id)).isEqualTo(failed);
        assertThat(told(id, Kind.DELETED)).isZero();
    }

    @Test
    @DisplayName("an engine that throws instead of answering ends DELETE_FAILED with the reason")
    void engineThrows() {
        String id = completed();
        h.engine.holdDeletes();
        service.delete(PROJECT, id);
        h.engine.failDelete(id, new IllegalStateException("bucket gone"));
        h.settle();
        BackupRecord failed = h.stored(id);
        assertThat(failed.status()).isEqualTo(BackupStatus.DELETE_FAILED);
        assertThat(failed.failure().message()).contains("bucket gone").endsWith("delete the backup again to retry.");
        assertThat(told(id, Kind.DELETE_FAILED)).isOne();
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("a removal that committed and then threw, with the re-reads failing, is read back later: "
            + "onDeleted told once, one second later")
    void removalInDoubt() {
        String id = completed();
        faulty.commitThenThrow(Op.DELETE, 1).thenFail(Op.FIND, 3);
        service.delete(PROJECT, id);
        assertThat(h.store.find(id)).isEmpty();
        assertThat(told(id, Kind.DELETED)).as("not yet known").isZero();
        assertThat(service.inFlight()).isOne();
        h.advance(Duration.ofMillis(999));
        assertThat(told(id, Kind.DELETED)).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(told(id, Kind.DELETED)).isOne();
        assertThat(service.inFlight()).isZero();
        h.advance(Duration.ofMinutes(10));
        assertThat(told(id, Kind.DELETED)).isOne();
    }

    @Test
    @DisplayName("a removal that failed before reaching the store is tried again until it lands, with growing pauses")
    void removalFailsThenLands() {
        String id = completed();
        h.engine.holdDeletes();
        service.delete(PROJECT, id);
        // The removal fails, and so do the re-reads: 3 at once, then one per retry (1 s, then 2 s later).
        faulty.failBefore(Op.DELETE, 1).failBefore(Op.FIND, 5);
        h.engine.completeDelete(id);
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        h.advance(Duration.ofSeconds(1));
        assertThat(h.store.find(id)).as("the first re-read failed").isPresent();
        h.advance(Duration.ofSeconds(2));
        assertThat(h.store.find(id)).as("the second re-read failed").isPresent();
        h.advance(Duration.ofMillis(3999));
        assertThat(h.store.find(id)).isPresent();
        h.advance(Duration.ofMillis(1));
        assertThat(h.store.find(id)).isEmpty();
        assertThat(told(id, Kind.DELETED)).isOne();
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("a DELETE_FAILED write that committed and then threw is read back and told once")
    void failureWriteInDoubt() {
        String id = completed();
        h.engine.failNextDeletes(1);
        faulty.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, 3);
        faulty.onlyWrites(r -> r.status() == BackupStatus.DELETE_FAILED);
        service.delete(PROJECT, id);
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETE_FAILED);
        assertThat(told(id, Kind.DELETE_FAILED)).isZero();
        h.advance(Duration.ofSeconds(1));
        assertThat(told(id, Kind.DELETE_FAILED)).isOne();
        assertThat(service.inFlight()).isZero();
        assertThat(h.stored(id).failure().code()).isEqualTo(ErrorCode.ARTIFACT_DELETE_FAILED);
    }

    @Test
    @DisplayName("a DELETE_FAILED write that failed is written again once the record can be read")
    void failureWriteFails() {
        String id = completed();
        h.engine.holdDeletes();
        service.delete(PROJECT, id);
        faulty.failBefore(Op.CAS, 1).failBefore(Op.FIND, 4);
        h.engine.failDelete(id, new IllegalStateException("bucket gone"));
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        h.advance(Duration.ofSeconds(1));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        h.advance(Duration.ofMillis(1999));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        h.advance(Duration.ofMillis(1));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETE_FAILED);
        assertThat(told(id, Kind.DELETE_FAILED)).isOne();
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("a deletion taken over by another replica is let go when the renewal misses its lease: "
            + "nothing told here, the late engine answer ignored")
    void takenOver() {
        String id = completed();
        h.engine.holdDeletes();
        service.delete(PROJECT, id);
        BackupRecord deleting = h.stored(id);
        h.store.compareAndSet(deleting.toBuilder().lease(new Lease("replica-x", deleting.lease().expiresAt()))
                .build(), deleting.version());
        h.advance(LEASE.dividedBy(3));
        assertThat(service.inFlight()).isZero();
        h.engine.completeDelete(id);
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.DELETING);
        assertThat(h.stored(id).lease().owner()).isEqualTo("replica-x");
        assertThat(told(id, Kind.DELETED)).isZero();
        assertThat(told(id, Kind.DELETE_FAILED)).isZero();
    }
}
