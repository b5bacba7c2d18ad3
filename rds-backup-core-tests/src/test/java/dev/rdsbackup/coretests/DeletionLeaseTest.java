package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A deletion whose engine answers slowly")
class DeletionLeaseTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final HeldDeletesEngine engine = new HeldDeletesEngine();
    private final Harness h = new Harness(b -> b.leaseDuration(LEASE).engine(engine));
    private final SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE).engine(engine));
    private String id;

    {
        engine.fake = h.engine;
    }

    @BeforeEach
    void completedBackupBeingDeleted() {
        BackupHandle handle = h.create("Nightly");
        h.settle();
        id = handle.backupId();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.service.delete(Harness.PROJECT, id).status()).isEqualTo(BackupStatus.DELETING);
        h.settle();
        assertThat(engine.pendingDeletes).hasSize(1);
    }

    @Test
    @DisplayName("keeps its lease renewed by the deleting replica, so another replica's recovery leaves it alone")
    void leaseRenewed() {
        for (int i = 0; i < 8; i++) {
            b.advanceBoth(LEASE.dividedBy(2));
            RecoveryReport report = b.service.recover();
            b.settleBoth();
            assertThat(report.deletesResumed()).as("recovery at %s", h.clock.instant()).isEmpty();
            BackupRecord now = h.stored(id);
            assertThat(now.status()).isEqualTo(BackupStatus.DELETING);
            assertThat(now.lease().owner()).isEqualTo("replica-a");
            assertThat(now.lease().expiresAt()).as("the lease is alive").isAfter(h.clock.instant());
        }
        assertThat(engine.pendingDeletes).as("the data was asked to be deleted once").hasSize(1);

        engine.answerDelete(0);
        b.settleBoth();
        assertThat(h.store.find(id)).isEmpty();
        assertThat(h.engine.hasArtifact(id)).isFalse();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.DELETED);
    }

    @Test
    @DisplayName("is taken over by another replica once the deleting replica stops, and the late answer of the "
            + "first replica's delete changes nothing")
    void takenOverElsewhere() {
        // Replica A stops running here (its scheduler is no longer advanced).
        b.advanceAlone(LEASE.plusSeconds(1));
        RecoveryReport report = b.service.recover();
        b.scheduler.runPending();
        assertThat(report.deletesResumed()).containsExactly(id);
        assertThat(engine.pendingDeletes).hasSize(2);
        BackupRecord taken = h.stored(id);
        assertThat(taken.status()).isEqualTo(BackupStatus.DELETING);
        assertThat(taken.lease().owner()).isEqualTo("replica-b");

        engine.answerDelete(1);
        b.scheduler.runPending();
        assertThat(h.store.find(id)).isEmpty();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.DELETED);

        // Replica A comes back and its engine answers late.
        engine.answerDelete(0);
        b.settleBoth();
        b.advanceBoth(LEASE.multipliedBy(2));
        assertThat(h.store.find(id)).isEmpty();
        assertThat(h.events.kinds(id)).as("the deletion is reported once").containsOnlyOnce(Kind.DELETED);
        assertThat(h.events.kinds(id)).doesNotContain(Kind.DELETE_FAILED);
        assertThat(h.scheduler.taskFailures()).isEmpty();
        assertThat(b.scheduler.taskFailures()).isEmpty();
    }
}
