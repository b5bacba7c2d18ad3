package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ending a run writes itself (its copy's answer, or a cancel it serves) when the write fails or its
 * outcome is unknown: tried again after 1 s, then 2 s, 4 s ..., told exactly once, and a failed cancel
 * leaves the build running as it was.
 */
@DisplayName("A run's own ending write that fails")
class RunEndingRetryTest {
    private final Harness h = new Harness();
    private final FaultInjectingStore faulty = new FaultInjectingStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-e", h.scheduler).store(faulty)
            .leaseDuration(Duration.ofMinutes(3)).build();

    private String copying() {
        return h.copying(service).backupId();
    }

    private long told(String id, Kind kind) {
        return h.events.kinds(id).stream().filter(k -> k == kind).count();
    }

    @Test
    @DisplayName("as COMPLETED, failing before the store, is written again one second later")
    void completedWriteFails() {
        String id = copying();
        faulty.failBefore(Op.CAS, 1);
        h.engine.complete(id, 4096);
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.BUILDING);
        h.advance(Duration.ofMillis(999));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.BUILDING);
        h.advance(Duration.ofMillis(1));
        BackupRecord done = h.stored(id);
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(done.sizeBytes()).isEqualTo(4096);
        assertThat(done.lock()).isNull();
        assertThat(told(id, Kind.COMPLETED)).isOne();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("as COMPLETED, with the record unreadable, reads again after 1 s, 2 s and 4 s")
    void completedWriteUnknown() {
        String id = copying();
        faulty.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, 5); // 3 at once, then at 1 s and 3 s; 7 s works
        faulty.onlyWrites(r -> r.status() == BackupStatus.COMPLETED);
        h.engine.complete(id, 4096);
        h.settle();
        assertThat(h.stored(id).status()).as("landed").isEqualTo(BackupStatus.COMPLETED);
        h.advance(Duration.ofMillis(6999));
        assertThat(told(id, Kind.COMPLETED)).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(told(id, Kind.COMPLETED)).isOne();
        assertThat(h.stored(id).lock()).isNull();
        assertThat(service.inFlight()).isZero();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a cancel whose write fails before the store is refused (503) and the build goes on; a second "
            + "cancel ends it")
    void cancelWriteFails() {
        String id = copying();
        faulty.failBefore(Op.CAS, 1);
        assertThatThrownBy(() -> service.cancel(PROJECT, id)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        h.advance(Duration.ofMinutes(1));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.BUILDING);
        assertThat(h.engine.isRunning(id)).isTrue();
        assertThat(h.events.kinds(id)).doesNotContain(Kind.CANCELLED);

        assertThat(service.cancel(PROJECT, id).status()).isEqualTo(BackupStatus.CANCELLED);
        h.settle();
        assertThat(h.engine.isRunning(id)).isFalse();
        assertThat(told(id, Kind.CANCELLED)).isOne();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a cancel whose write is in doubt is answered 503 and resolved by the run one second later")
    void cancelWriteUnknown() {
        String id = copying();
        faulty.commitThenThrow(Op.CAS, 1).thenFail(Op.FIND, 3);
        assertThatThrownBy(() -> service.cancel(PROJECT, id)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.CANCELLED);
        h.advance(Duration.ofMillis(999));
        assertThat(told(id, Kind.CANCELLED)).isZero();
        h.advance(Duration.ofMillis(1));
        assertThat(told(id, Kind.CANCELLED)).isOne();
        assertThat(h.engine.isRunning(id)).isFalse();
        assertThat(h.stored(id).lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(told(id, Kind.CANCELLED)).isOne();
        assertThat(service.inFlight()).isZero();
    }
}
