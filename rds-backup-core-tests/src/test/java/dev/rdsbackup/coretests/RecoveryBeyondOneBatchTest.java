package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Recovery of more expired leases than one page of the store")
class RecoveryBeyondOneBatchTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int ORPHANS = 250;

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));

    @Test
    @DisplayName("ends all 250 orphaned builds in one run, each FAILED with INTERRUPTED, each lock released "
            + "once, each ending told once")
    void recoversEveryOrphan() {
        h.engine.holdCopies();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORPHANS; i++) {
            String instance = "inst-many-" + i;
            h.probe.addInstance(Harness.PROJECT, instance);
            BackupRequest request = BackupRequest.builder().projectId(Harness.PROJECT).instanceId(instance)
                    .name("Nightly").build();
            BackupHandle handle = h.service.create(request);
            ids.add(handle.backupId());
        }
        h.settle();
        assertThat(h.probe.heldLocks()).hasSize(ORPHANS);
        // Replica A dies.
        b.advanceAlone(LEASE.plusSeconds(1));
        RecoveryReport report = b.service.recover();
        b.scheduler.runPending();

        assertThat(report.failed()).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            BackupRecord r = h.stored(id);
            assertThat(r.status()).as(id).isEqualTo(BackupStatus.FAILED);
            assertThat(r.failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
            assertThat(r.lock()).isNull();
            assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.FAILED);
        }
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(b.service.recover().isEmpty()).as("a second run finds nothing").isTrue();
    }
}
