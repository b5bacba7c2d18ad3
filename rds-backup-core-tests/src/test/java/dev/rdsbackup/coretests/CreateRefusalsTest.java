package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static dev.rdsbackup.coretests.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Creating a backup is refused")
class CreateRefusalsTest {
    private final Harness h = new Harness();

    private void assertRefused(BackupRequest request, ErrorCode code, int status, boolean retryable) {
        assertThatThrownBy(() -> h.service.create(request))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    private void assertNothingStored() {
        assertThat(h.store.all()).isEmpty();
        assertThat(h.probe.verificationCount()).isZero();
        assertThat(h.events.events()).isEmpty();
    }

    @Test
    @DisplayName("with every violation of an invalid request at once, and nothing stored")
    void invalidRequest() {
        BackupRequest bad = request("1bad").description("a<b").databases("x", "x").build();
        assertThatThrownBy(() -> h.service.create(bad))
                .isInstanceOfSatisfying(BackupValidationException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.violations()).extracting(Violation::field)
                            .containsExactly("databases", "description", "name");
                    assertThat(e.getMessage()).doesNotContain("a<b");
                });
        assertNothingStored();
    }

    @Test
    @DisplayName("for an instance that does not exist (404)")
    void unknownInstance() {
        assertRefused(request("Daily").instanceId("nope").build(), ErrorCode.INSTANCE_NOT_FOUND, 404, false);
        assertNothingStored();
    }

    @Test
    @DisplayName("for an instance of another project (404, not revealed)")
    void otherProjectsInstance() {
        assertRefused(request("Daily").projectId("proj-2").build(), ErrorCode.INSTANCE_NOT_FOUND, 404, false);
        assertNothingStored();
    }

    @Test
    @DisplayName("for a read replica")
    void readReplica() {
        h.probe.instance(PROJECT, INSTANCE).role(InstanceRole.READ_REPLICA);
        assertRefused(request("Daily").build(), ErrorCode.INSTANCE_NOT_PRIMARY, 400, false);
        assertNothingStored();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = InstanceStatus.class,
            names = {"BUILD", "MODIFYING", "REBOOTING", "RESTORING", "SWITCHOVER", "MIGRATING", "BACKING_UP"})
    @DisplayName("as retryable while another operation runs on the instance (409)")
    void busyInstance(InstanceStatus status) {
        h.probe.instance(PROJECT, INSTANCE).status(status);
        assertRefused(request("Daily").build(), ErrorCode.INSTANCE_BUSY, 409, true);
        assertNothingStored();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = InstanceStatus.class, names = {"FAILED", "SHUTDOWN", "STORAGE_FULL", "FROZEN"})
    @DisplayName("as not retryable when the instance's status forbids backups")
    void statusNotAllowed(InstanceStatus status) {
        h.probe.instance(PROJECT, INSTANCE).status(status);
        assertRefused(request("Daily").build(), ErrorCode.INSTANCE_STATUS_NOT_ALLOWED, 409, false);
        assertNothingStored();
    }

    @Test
    @DisplayName("above 500,000 tables, but not at exactly 500,000")
    void tooManyTables() {
        h.probe.instance(PROJECT, INSTANCE).tableCount(500_001);
        assertRefused(request("Daily").build(), ErrorCode.TOO_MANY_TABLES, 409, false);
        assertNothingStored();
        h.probe.instance(PROJECT, INSTANCE).tableCount(500_000);
        assertThat(h.create("Daily").backup().status()).hasToString("BUILDING");
    }

    @Test
    @DisplayName("above a configured table ceiling")
    void configuredCeiling() {
        Harness small = new Harness(b -> b.maxTableCount(10));
        small.probe.instance(PROJECT, INSTANCE).tableCount(11);
        assertThatThrownBy(() -> small.create("Daily"))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_TABLES));
        assertThat(small.store.all()).isEmpty();
    }

    @Test
    @DisplayName("for a database list when the engine cannot back up chosen databases")
    void partialNotSupported() {
        h.probe.instance(PROJECT, INSTANCE).databases("sales");
        assertRefused(request("Daily").databases("sales").build(), ErrorCode.PARTIAL_BACKUP_NOT_SUPPORTED, 400, false);
        assertNothingStored();
    }

    @Test
    @DisplayName("for a database that does not exist, naming its position in the list")
    void unknownDatabase() {
        h.probe.instance(PROJECT, INSTANCE).partialBackupSupported(true).databases("sales", "hr");
        assertThatThrownBy(() -> h.service.create(request("Daily").databases("sales", "ghost").build()))
                .isInstanceOfSatisfying(BackupException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("databases[1]").doesNotContain("ghost");
                });
        assertNothingStored();
    }

    @Test
    @DisplayName("for a name the instance already uses, case-sensitively (409)")
    void duplicateName() {
        h.create("Daily");
        h.settle();
        assertRefused(request("Daily").build(), ErrorCode.BACKUP_NAME_EXISTS, 409, false);
        assertThat(h.create("daily").backup().name()).isEqualTo("daily");
        h.settle();
        assertThat(h.store.all()).hasSize(2);
    }

    @Test
    @DisplayName("while another backup of the instance is building (409, retryable)")
    void anotherBackupActive() {
        h.engine.holdCopies();
        h.create("First");
        h.settle();
        assertRefused(request("Second").build(), ErrorCode.BACKUP_IN_PROGRESS, 409, true);
        assertThat(h.store.all()).hasSize(1);
    }

    @Nested
    @DisplayName("by the manual-backup quota")
    class Quota {
        private final Harness q = new Harness(b -> b.manualBackupQuota(2));

        @Test
        @DisplayName("when the instance already has that many manual backups (413)")
        void quotaReached() {
            q.create("One1");
            q.settle();
            q.create("Two2");
            q.settle();
            assertThatThrownBy(() -> q.create("Three"))
                    .isInstanceOfSatisfying(BackupException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_QUOTA_EXCEEDED);
                        assertThat(e.httpStatus()).isEqualTo(413);
                    });
            assertThat(q.store.all()).hasSize(2);
        }

        @Test
        @DisplayName("but never for automated backups, which the quota does not count")
        void automatedIgnoresQuota() {
            q.create("One1");
            q.settle();
            q.create("Two2");
            q.settle();
            q.service.create(request("Auto1").type(BackupType.AUTOMATED).build());
            q.settle();
            assertThat(q.store.all()).hasSize(3);
        }
    }

    @Test
    @DisplayName("as unavailable (503, retryable) when the probe cannot describe the instance")
    void probeDown() {
        h.probe.instance(PROJECT, INSTANCE).describeThrows(new IllegalStateException("inventory down"));
        assertRefused(request("Daily").build(), ErrorCode.SERVICE_UNAVAILABLE, 503, true);
        assertNothingStored();
    }
}
