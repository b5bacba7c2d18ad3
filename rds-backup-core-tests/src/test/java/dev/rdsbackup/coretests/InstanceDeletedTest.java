package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("When an instance is deleted")
class InstanceDeletedTest {
    private final Harness h = new Harness();

    private String backup(String name, BackupType type) {
        h.advance(Duration.ofMinutes(1));
        String id = h.service.create(Harness.request(name).type(type).build()).backupId();
        h.settle();
        return id;
    }

    @Test
    @DisplayName("its automated backups are deleted, its manual ones kept and listable, a running one cancelled")
    void mixOfTypesAndStatuses() {
        h.probe.instance(PROJECT, INSTANCE).datastore("MySQL", "5.7");
        h.probe.addInstance(PROJECT, "inst-keep");
        String manualDone = backup("ManualDone", BackupType.MANUAL);
        String autoDone = backup("AutoDone", BackupType.AUTOMATED);
        h.probe.instance(PROJECT, INSTANCE).lockUnavailableFor(2);
        String manualFailed = backup("ManualFailed", BackupType.MANUAL);
        h.advance(Duration.ofMinutes(5));
        String autoFailed = backup("AutoFailed", BackupType.AUTOMATED);
        h.advance(Duration.ofMinutes(5));
        String otherInstance = h.service.create(Harness.request("Elsewhere").instanceId("inst-keep").build())
                .backupId();
        h.settle();
        h.engine.holdCopies();
        BackupHandle running = h.service.create(Harness.request("ManualRunning").build());
        h.settle();
        assertThat(h.probe.heldLocks()).hasSize(1);

        h.probe.removeInstance(PROJECT, INSTANCE);
        InstanceDeletionReport report = h.service.instanceDeleted(PROJECT, INSTANCE);

        assertThat(report.cancelled()).containsExactly(running.backupId());
        assertThat(report.deleting()).containsExactlyInAnyOrder(autoDone, autoFailed);
        assertThat(report.retained()).containsExactlyInAnyOrder(manualDone, manualFailed, running.backupId());
        assertThat(h.store.find(autoDone)).isEmpty();
        assertThat(h.store.find(autoFailed)).isEmpty();
        assertThat(h.engine.hasArtifact(autoDone)).isFalse();

        BackupRecord cancelled = h.stored(running.backupId());
        assertThat(cancelled.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(cancelled.failure().code()).isEqualTo(ErrorCode.INSTANCE_DELETED);
        assertThat(h.engine.cancelCount(running.backupId())).isEqualTo(1);
        h.probe.assertEveryLockReleasedExactlyOnce();

        assertThat(h.service.list(BackupQuery.forInstance(PROJECT, INSTANCE).build()).items())
                .extracting(BackupRecord::id)
                .containsExactlyInAnyOrder(manualDone, manualFailed, running.backupId())
                .hasSize(3);
        assertThat(h.service.list(BackupQuery.forProject(PROJECT).build()).items()).extracting(BackupRecord::id)
                .containsExactlyInAnyOrder(manualDone, manualFailed, running.backupId(), otherInstance);
        BackupRecord kept = h.service.get(PROJECT, manualDone);
        assertThat(kept.status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(kept.datastore()).isEqualTo(new Datastore("MySQL", "5.7"));
        assertThat(h.engine.hasArtifact(manualDone)).isTrue();
    }

    @Test
    @DisplayName("calling it twice is harmless")
    void twice() {
        String manual = backup("Manual1", BackupType.MANUAL);
        backup("Auto1", BackupType.AUTOMATED);
        h.service.instanceDeleted(PROJECT, INSTANCE);
        BackupRecord keptAfterFirst = h.stored(manual);
        InstanceDeletionReport second = h.service.instanceDeleted(PROJECT, INSTANCE);
        assertThat(second.cancelled()).isEmpty();
        assertThat(second.deleting()).isEmpty();
        assertThat(second.retained()).containsExactly(manual);
        assertThat(h.stored(manual)).isEqualTo(keptAfterFirst);
    }

    @Test
    @DisplayName("an automated backup whose data cannot be deleted stays visible as DELETE_FAILED")
    void automatedDeleteFails() {
        String auto = backup("Auto1", BackupType.AUTOMATED);
        h.engine.failNextDeletes(1);
        h.service.instanceDeleted(PROJECT, INSTANCE);
        assertThat(h.stored(auto).status()).isEqualTo(BackupStatus.DELETE_FAILED);
        h.service.instanceDeleted(PROJECT, INSTANCE);
        assertThat(h.store.find(auto)).isEmpty();
    }
}
