package dev.rdsbackup.api;

import static dev.rdsbackup.api.Fixtures.MYSQL;
import static dev.rdsbackup.api.Fixtures.T0;
import static dev.rdsbackup.api.NullChecks.assertNullChecks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.api.spi.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Value records")
class ValueRecordsTest {

    @Nested
    @DisplayName("refuse null where a value is required, naming the component")
    class NullsAreRefusedByName {
        @Test
        void backupRecord() {
            assertNullChecks(Fixtures.everythingSet(), "id", "projectId", "instanceId", "name", "type", "status",
                    "datastore", "databases", "beginTime");
        }

        @Test
        void backupRequest() {
            assertNullChecks(Fixtures.fullRequest(), "projectId", "instanceId", "name", "databases", "type");
        }

        @Test
        void backupQuery() {
            assertNullChecks(BackupQuery.forInstance("p-1", "i-1").type(BackupType.MANUAL)
                    .statuses(BackupStatus.COMPLETED).window(T0, T0.plusSeconds(1)).build(), "projectId", "statuses");
        }

        @Test
        void smallValues() {
            assertNullChecks(new BackupFailure(ErrorCode.ENGINE_FAILED, "disk full"), "code", "message");
            assertNullChecks(new BackupLock("i-1", "t"), "instanceId", "token");
            assertNullChecks(new Lease("replica-a", T0), "owner", "expiresAt");
            assertNullChecks(MYSQL, "engine", "version");
            assertNullChecks(new BackupProgress(1, 1, 2, T0), "estimatedCompletion");
            assertNullChecks(new Violation("name", "BackupName", "must be valid"), "field", "rule", "message");
        }

        @Test
        void containers() {
            BackupRecord record = Fixtures.everythingSet();
            assertNullChecks(new BackupPage(List.of(record), 1, 0, 10), "items");
            assertNullChecks(new BackupHandle(record, CompletableFuture.completedFuture(record)), "backup", "completion");
            assertNullChecks(new InstanceDeletionReport("p-1", "i-1", List.of("a"), List.of("b"), List.of("c")),
                    "projectId", "instanceId", "cancelled", "deleting", "retained");
            assertNullChecks(new RecoveryReport(List.of("a"), List.of("b")), "failed", "deletesResumed");
        }

        @Test
        void deleteOutcomeNeedsTheIdAsked() {
            BackupRecord record = Fixtures.everythingSet();
            assertThatThrownBy(() -> new DeleteOutcome(null, record, null))
                    .isInstanceOf(NullPointerException.class).hasMessage("backupId");
        }

        @Test
        void spiValues() {
            BackupRecord record = Fixtures.everythingSet();
            assertNullChecks(new InstanceInfo("p-1", "i-1", InstanceStatus.ACTIVE, InstanceRole.PRIMARY, MYSQL, 10,
                    1000, true, Set.of("sales")), "projectId", "instanceId", "status", "role", "datastore", "databases");
            assertNullChecks(new CopyRequest("b-1", "p-1", "i-1", MYSQL, List.of("sales"), new BackupLock("i-1", "t"),
                    10, 1000), "backupId", "projectId", "instanceId", "datastore", "databases", "lock");
            assertNullChecks(new CreateResult.Created(record), "record");
            assertNullChecks(new CreateResult.NameTaken(record), "existing");
            assertNullChecks(new CreateResult.InstanceBusy(record), "active");
            assertNullChecks(new CreateResult.ClientTokenTaken(record), "existing");
            assertNullChecks(new Verification.Verified(new BackupLock("i-1", "t"), 3), "lock");
            assertNullChecks(new Verification.DdlInProgress("ALTER TABLE running"), "detail");
            assertNullChecks(new Verification.LockNotObtained("timed out"), "detail");
            assertNullChecks(new Verification.Unreachable("connection refused"), "detail");
        }
    }

    @Nested
    @DisplayName("BackupRecord")
    class Records {
        @Test
        void toBuilderThenBuildGivesAnEqualRecord() {
            BackupRecord full = Fixtures.everythingSet();
            assertThat(full.toBuilder().build()).isEqualTo(full);
            BackupRecord minimal = Fixtures.building().build();
            assertThat(minimal.toBuilder().build()).isEqualTo(minimal);
        }

        @Test
        void theBuilderDefaultsToAManualBuildingBackupAtVersionZero() {
            BackupRecord r = Fixtures.building().build();
            assertThat(r.type()).isEqualTo(BackupType.MANUAL);
            assertThat(r.status()).isEqualTo(BackupStatus.BUILDING);
            assertThat(r.databases()).isEmpty();
            assertThat(r.version()).isZero();
            assertThat(r.attempts()).isZero();
            assertThat(r.sizeBytes()).isZero();
            assertThat(r.descriptionIfAny()).isEmpty();
            assertThat(r.endTimeIfAny()).isEmpty();
            assertThat(r.progressIfAny()).isEmpty();
            assertThat(r.failureIfAny()).isEmpty();
            assertThat(r.leaseIfAny()).isEmpty();
            assertThat(r.lockIfAny()).isEmpty();
        }

        @Test
        void theBuilderNamesAMissingRequiredValue() {
            assertThatThrownBy(() -> Fixtures.building().datastore(null).build())
                    .isInstanceOf(NullPointerException.class).hasMessage("datastore");
        }

        @Test
        void copiesTheDatabaseListAndKeepsItUnmodifiable() {
            List<String> databases = new ArrayList<>(List.of("sales"));
            BackupRecord r = Fixtures.building().databases(databases).build();
            databases.add("hr");
            assertThat(r.databases()).containsExactly("sales");
            assertThatThrownBy(() -> r.databases().add("x")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void refusesNegativeSizeAttemptsAndVersion() {
            assertThatIllegalArgumentException().isThrownBy(() -> Fixtures.building().sizeBytes(-1).build())
                    .withMessageContaining("sizeBytes");
            assertThatIllegalArgumentException().isThrownBy(() -> Fixtures.building().attempts(-1).build())
                    .withMessageContaining("attempts");
            assertThatIllegalArgumentException().isThrownBy(() -> Fixtures.building().version(-1).build())
                    .withMessageContaining("version");
        }

        @Test
        void refusesAnEndBeforeTheBeginButAcceptsTheSameInstant() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> Fixtures.building().endTime(T0.minusMillis(1)).build())
                    .withMessageContaining("endTime");
            assertThatCode(() -> Fixtures.building().endTime(T0).build()).doesNotThrowAnyException();
        }

        @Test
        void toStringNeverPrintsTheDescription() {
            BackupRecord r = Fixtures.building().description("<script>alert('pwned')</script>").build();
            assertThat(r.toString()).doesNotContain("script").doesNotContain("pwned").contains("Daily");
        }
    }

    @Nested
    @DisplayName("Smaller values")
    class SmallerValues {
        @Test
        void aPageKnowsWhetherMoreRecordsFollow() {
            BackupRecord r = Fixtures.everythingSet();
            assertThat(new BackupPage(List.of(r, r), 5, 0, 2).hasMore()).isTrue();
            assertThat(new BackupPage(List.of(r, r), 5, 3, 2).hasMore()).isFalse();
            assertThat(new BackupPage(List.of(), 0, 0, 100).hasMore()).isFalse();
            assertThat(new BackupPage(List.of(), 3, 3, 100).hasMore()).as("offset past the end").isFalse();
        }

        @Test
        void aPageRefusesNegativeCountsAndAnEmptyLimit() {
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupPage(List.of(), -1, 0, 1))
                    .withMessageContaining("totalCount");
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupPage(List.of(), 0, -1, 1))
                    .withMessageContaining("offset");
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupPage(List.of(), 0, 0, 0))
                    .withMessageContaining("limit");
        }

        @Test
        void progressIsZeroToOneHundredPercentOfNonNegativeBytes() {
            assertThatCode(() -> new BackupProgress(0, 0, 0, T0)).doesNotThrowAnyException();
            assertThatCode(() -> new BackupProgress(100, 5, 5, T0)).doesNotThrowAnyException();
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupProgress(-1, 0, 0, T0));
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupProgress(101, 0, 0, T0));
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupProgress(1, -1, 0, T0));
            assertThatIllegalArgumentException().isThrownBy(() -> new BackupProgress(1, 0, -1, T0));
        }

        @Test
        void aDatastoreRefusesBlankEngineOrVersion() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Datastore(" ", "8.0")).withMessageContaining("engine");
            assertThatIllegalArgumentException().isThrownBy(() -> new Datastore("MySQL", "")).withMessageContaining("version");
            assertThat(MYSQL).hasToString("MySQL 8.0");
        }

        @Test
        void aLeaseExpiresAtItsExpiryInstant() {
            Lease lease = new Lease("replica-a", T0);
            assertThat(lease.isExpiredAt(T0.minusMillis(1))).isFalse();
            assertThat(lease.isExpiredAt(T0)).isTrue();
            assertThat(lease.isExpiredAt(T0.plusSeconds(1))).isTrue();
        }

        @Test
        void aDeleteOutcomeIsEitherAcceptedOrRefused() {
            BackupRecord r = Fixtures.everythingSet();
            DeleteOutcome accepted = DeleteOutcome.accepted(r);
            assertThat(accepted.accepted()).isTrue();
            assertThat(accepted.backupId()).isEqualTo(r.id());
            assertThat(accepted.backupIfAccepted()).contains(r);
            assertThat(accepted.errorIfRefused()).isEmpty();

            BackupException notFound = new BackupException(ErrorCode.BACKUP_NOT_FOUND, "no backup b-9");
            DeleteOutcome refused = DeleteOutcome.refused("b-9", notFound);
            assertThat(refused.accepted()).isFalse();
            assertThat(refused.errorIfRefused()).contains(notFound);
            assertThat(refused.backupIfAccepted()).isEmpty();

            assertThatIllegalArgumentException().isThrownBy(() -> new DeleteOutcome("b-1", r, notFound));
            assertThatIllegalArgumentException().isThrownBy(() -> new DeleteOutcome("b-1", null, null));
        }

        @Test
        void reportsCopyTheirListsAndARecoveryReportKnowsWhenItIsEmpty() {
            List<String> ids = new ArrayList<>(List.of("a"));
            InstanceDeletionReport report = new InstanceDeletionReport("p-1", "i-1", ids, List.of(), List.of());
            ids.add("b");
            assertThat(report.cancelled()).containsExactly("a");
            assertThat(new RecoveryReport(List.of(), List.of()).isEmpty()).isTrue();
            assertThat(new RecoveryReport(List.of("x"), List.of()).isEmpty()).isFalse();
            assertThat(new RecoveryReport(List.of(), List.of("y")).isEmpty()).isFalse();
        }

        @Test
        void aHandleNamesItsBackup() {
            BackupRecord r = Fixtures.everythingSet();
            assertThat(new BackupHandle(r, new CompletableFuture<>()).backupId()).isEqualTo("b-1");
        }
    }

    @Nested
    @DisplayName("SPI values")
    class SpiValues {
        @Test
        void instanceInfoRefusesNegativeCountsAndCopiesTheDatabases() {
            assertThatIllegalArgumentException().isThrownBy(() -> new InstanceInfo("p", "i", InstanceStatus.ACTIVE,
                    InstanceRole.PRIMARY, MYSQL, -1, 0, false, Set.of())).withMessageContaining("tableCount");
            assertThatIllegalArgumentException().isThrownBy(() -> new InstanceInfo("p", "i", InstanceStatus.ACTIVE,
                    InstanceRole.PRIMARY, MYSQL, 0, -1, false, Set.of())).withMessageContaining("dataSizeBytes");
            Set<String> dbs = new java.util.HashSet<>(Set.of("a"));
            InstanceInfo info = new InstanceInfo("p", "i", InstanceStatus.ACTIVE, InstanceRole.PRIMARY, MYSQL, 0, 0,
                    true, dbs);
            dbs.add("b");
            assertThat(info.databases()).containsExactly("a");
        }

        @Test
        void copyProgressIsAPercentOfTheKnownTotal() {
            assertThat(new CopyProgress(0, 0).percent()).as("unknown total").isZero();
            assertThat(new CopyProgress(50, 200).percent()).isEqualTo(25);
            assertThat(new CopyProgress(300, 200).percent()).as("capped").isEqualTo(100);
            assertThatIllegalArgumentException().isThrownBy(() -> new CopyProgress(-1, 0));
            assertThatIllegalArgumentException().isThrownBy(() -> new CopyProgress(0, -1));
        }

        @Test
        void eachFailedVerificationStandsForItsFailureCode() {
            Verification verified = new Verification.Verified(new BackupLock("i-1", "t"), 3);
            assertThat(verified.isVerified()).isTrue();
            assertThat(verified.failureCode()).isNull();
            assertThat(new Verification.DdlInProgress("x").failureCode()).isEqualTo(ErrorCode.VERIFICATION_DDL_RUNNING);
            assertThat(new Verification.LockNotObtained("x").failureCode())
                    .isEqualTo(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED);
            assertThat(new Verification.Unreachable("x").failureCode()).isEqualTo(ErrorCode.VERIFICATION_UNREACHABLE);
            assertThat(new Verification.Unreachable("x").isVerified()).isFalse();
            assertThatIllegalArgumentException().isThrownBy(
                    () -> new Verification.Verified(new BackupLock("i-1", "t"), -1));
        }

        @Test
        void onlyActiveInstancesAreRunning() {
            for (InstanceStatus status : InstanceStatus.values()) {
                assertThat(status.category() == InstanceStatus.Category.RUNNING)
                        .as("%s", status).isEqualTo(status == InstanceStatus.ACTIVE);
            }
            assertThat(InstanceStatus.REBOOTING.category()).isEqualTo(InstanceStatus.Category.BUSY);
            assertThat(InstanceStatus.FROZEN.category()).isEqualTo(InstanceStatus.Category.NOT_ALLOWED);
        }
    }
}
