package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.ForwardingProbe;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 11, item 13: the core checks what the probe answers instead of trusting it. */
@DisplayName("An instance described with another project or id")
class AdapterAnswerChecksTest {
    private final Harness h = new Harness();

    /** A probe that ignores the project it is asked about: it finds instances by id alone. */
    private final InstanceProbe ignoresProject = new ForwardingProbe(h.probe) {
        @Override
        public Optional<InstanceInfo> describe(String projectId, String instanceId) {
            return super.describe(PROJECT, instanceId);
        }
    };

    @Test
    @DisplayName("is 'not found', so project B cannot back up project A's instance")
    void otherProject() {
        DefaultBackupService service = h.baseBuilder("replica-p", h.scheduler).probe(ignoresProject).build();
        assertThatThrownBy(() -> service.create(Harness.request("Nightly").projectId("proj-b").build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND));
        assertThat(h.store.all()).isEmpty();
        assertThat(h.probe.instance(PROJECT, INSTANCE)).isNotNull();
    }

    @Test
    @DisplayName("is 'not found' when the id differs")
    void otherId() {
        InstanceProbe wrongId = new ForwardingProbe(h.probe) {
            @Override
            public Optional<InstanceInfo> describe(String projectId, String instanceId) {
                return super.describe(PROJECT, INSTANCE);
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-p", h.scheduler).probe(wrongId).build();
        assertThatThrownBy(() -> service.create(Harness.request("Nightly").instanceId("inst-9").build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND));
        assertThat(h.store.all()).isEmpty();
    }
}
