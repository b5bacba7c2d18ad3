package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import jakarta.validation.Validation;
import java.time.Instant;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private final RequestValidator validator = new RequestValidator(Validation.byProvider(HibernateValidator.class)
            .configure().messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()
            .getValidator());

    @Test
    @DisplayName("every violation of a request is reported at once, sorted by field, with list indexes")
    void reportsEveryViolation() {
        BackupRequest request = BackupRequest.builder().projectId("p 1").instanceId("i-1").name("1abc")
                .description("a=b").databases("db1", " ", "db1").clientToken("").build();
        assertThatThrownBy(() -> validator.validate(request))
                .isInstanceOfSatisfying(BackupValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.violations()).extracting(Violation::field).containsExactly(
                            "clientToken", "databases", "databases[1]", "description", "name", "projectId");
                    assertThat(e.violations()).extracting(Violation::rule).containsExactly(
                            "ClientToken", "DistinctElements", "DatabaseName", "BackupDescription", "BackupName",
                            "ResourceId");
                });
    }

    @Test
    @DisplayName("a time window with the end before the start names windowEnd")
    void windowViolationNamesField() {
        BackupQuery query = BackupQuery.forProject("p1").window(Instant.EPOCH.plusSeconds(5), Instant.EPOCH)
                .limit(0).build();
        assertThatThrownBy(() -> validator.validate(query))
                .isInstanceOfSatisfying(BackupValidationException.class, e ->
                        assertThat(e.violations()).extracting(Violation::field).containsExactly("limit", "windowEnd"));
    }

    @Test
    @DisplayName("a valid request passes unchanged")
    void validPasses() {
        BackupRequest request = BackupRequest.builder().projectId("p1").instanceId("i-1").name("Daily").build();
        assertThat(validator.validate(request)).isSameAs(request);
    }
}
