package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A replica whose lease renewals do not get through for a whole lease treats its own builds as other
 * replicas would: dead. Its reconciler fails them {@code INTERRUPTED} (reported by {@code recover()}),
 * releases their locks and stops their copies; a build already writing its ending tries that write again
 * instead.
 */
@DisplayName("A replica whose own lease lapsed")
class LeaseLapsedTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final Harness h = new Harness();
    private final FaultInjectingStore faulty = new FaultInjectingStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-l", h.scheduler).store(faulty)
            .leaseDuration(LEASE).build();

    private String copying() {
        return h.copying(service).backupId();
    }

    @Test
    @DisplayName("fails its own build INTERRUPTED at its next reconciler run, and reports it")
    void failsItsOwnBuild() {
        String id = copying();
        faulty.failBefore(Op.RENEW, 1000);
        h.advance(LEASE.plusSeconds(1));
        assertThat(h.stored(id).status()).as("nobody has looked yet").isEqualTo(BackupStatus.BUILDING);

        assertThat(service.recover().failed()).containsExactly(id);

        BackupRecord failed = h.stored(id);
        assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        assertThat(failed.failure().message()).contains("could not renew its lease");
        h.settle();
        assertThat(h.engine.isRunning(id)).isFalse();
        assertThat(h.stored(id).lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.FAILED);
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("a build whose ending write is being retried is not failed: its retry still writes the ending")
    void endingInFlight() {
        String id = copying();
        faulty.failBefore(Op.RENEW, 1000).failBefore(Op.CAS, 1);
        h.engine.complete(id, 100);
        h.settle();
        assertThat(h.stored(id).status()).as("the COMPLETED write failed").isEqualTo(BackupStatus.BUILDING);
        faulty.failBefore(Op.FIND, 1000); // its retries cannot read the record until the reconciler runs
        h.advance(LEASE.plusSeconds(1));
        faulty.failBefore(Op.FIND, 0);

        assertThat(service.recover().failed()).isEmpty();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.BUILDING);

        h.advance(Duration.ofSeconds(30)); // the next retry of the ending
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.COMPLETED).doesNotContain(Kind.FAILED);
    }
}
