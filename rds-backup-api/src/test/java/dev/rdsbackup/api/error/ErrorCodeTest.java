package dev.rdsbackup.api.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("The error model")
class ErrorCodeTest {

    @Test
    @DisplayName("the code names are pinned: renaming, removing or adding one must change this test")
    void theCodeNamesAreStable() {
        assertThat(ErrorCode.values()).extracting(Enum::name).containsExactly(
                "INVALID_REQUEST",
                "INSTANCE_NOT_FOUND",
                "INSTANCE_NOT_PRIMARY",
                "INSTANCE_BUSY",
                "INSTANCE_STATUS_NOT_ALLOWED",
                "TOO_MANY_TABLES",
                "PARTIAL_BACKUP_NOT_SUPPORTED",
                "DATABASE_NOT_FOUND",
                "BACKUP_NAME_EXISTS",
                "BACKUP_IN_PROGRESS",
                "BACKUP_QUOTA_EXCEEDED",
                "IDEMPOTENCY_CONFLICT",
                "BACKUP_NOT_FOUND",
                "BACKUP_STATUS_CONFLICT",
                "BACKUP_TYPE_NOT_DELETABLE",
                "BACKUP_IN_USE",
                "CONCURRENT_MODIFICATION",
                "SERVICE_UNAVAILABLE",
                "VERIFICATION_DDL_RUNNING",
                "VERIFICATION_LOCK_NOT_OBTAINED",
                "VERIFICATION_UNREACHABLE",
                "ENGINE_FAILED",
                "INTERRUPTED",
                "INSTANCE_DELETED",
                "ARTIFACT_DELETE_FAILED");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    void everyCodeHasAKnownStatusAndASummary(ErrorCode code) {
        assertThat(code.httpStatus()).isIn(400, 404, 409, 413, 500, 503);
        assertThat(code.summary()).isNotBlank().doesNotEndWith(".");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    void badInputAndMissingThingsAreNotRetryableAndUnavailabilityIs(ErrorCode code) {
        if (code.httpStatus() == 400 || code.httpStatus() == 404 || code.httpStatus() == 413) {
            assertThat(code.retryable()).isFalse();
        }
        if (code.httpStatus() == 503) {
            assertThat(code.retryable()).isTrue();
        }
    }

    @Test
    void theStatusesOfTheBriefAreKept() {
        assertThat(ErrorCode.INSTANCE_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.INSTANCE_BUSY.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.INSTANCE_BUSY.retryable()).isTrue();
        assertThat(ErrorCode.BACKUP_IN_PROGRESS.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.BACKUP_QUOTA_EXCEEDED.httpStatus()).isEqualTo(413);
        assertThat(ErrorCode.INVALID_REQUEST.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.BACKUP_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.BACKUP_NAME_EXISTS.httpStatus()).isEqualTo(409);
    }

    @Test
    void anExceptionCarriesItsCodeStatusAndRetryability() {
        BackupException e = new BackupException(ErrorCode.INSTANCE_BUSY, "instance i-1 is rebooting; try later");
        assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_BUSY);
        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(e.retryable()).isTrue();
        assertThat(e).isInstanceOf(RuntimeException.class).hasNoCause();
        assertThat(e.toString()).isEqualTo("BackupException[INSTANCE_BUSY 409]: instance i-1 is rebooting; try later");
        IllegalStateException cause = new IllegalStateException("boom");
        assertThat(new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "store down", cause)).hasCause(cause);
    }

    @Test
    void anExceptionNeedsACodeAndAMessage() {
        assertThatThrownBy(() -> new BackupException(null, "m")).isInstanceOf(NullPointerException.class).hasMessage("code");
        assertThatThrownBy(() -> new BackupException(ErrorCode.INTERRUPTED, null))
                .isInstanceOf(NullPointerException.class).hasMessage("message");
    }

    @Test
    void aValidationExceptionListsEveryViolationInItsMessage() {
        List<Violation> violations = new ArrayList<>(List.of(
                new Violation("name", "BackupName", "must be 4 to 64 characters"),
                new Violation("databases[1]", "DatabaseName", "must be a non-blank database name")));
        BackupValidationException e = new BackupValidationException(violations);
        violations.clear();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.violations()).hasSize(2);
        assertThat(e.getMessage()).isEqualTo("The request is invalid: name: must be 4 to 64 characters (BackupName); "
                + "databases[1]: must be a non-blank database name (DatabaseName)");
        assertThatThrownBy(() -> e.violations().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aValidationExceptionNeedsAtLeastOneViolation() {
        assertThatIllegalArgumentException().isThrownBy(() -> new BackupValidationException(List.of()));
        assertThatIllegalArgumentException().isThrownBy(() -> new BackupValidationException(null));
    }
}
