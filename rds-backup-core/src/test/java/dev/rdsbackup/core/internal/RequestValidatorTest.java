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

    /** Beans whose violations have every shape of property path. */
    static final class Inner {
        @jakarta.validation.constraints.NotNull
        String value;
    }

    static final class Shapes {
        @jakarta.validation.Valid
        Inner inner = new Inner();

        java.util.Map<@jakarta.validation.constraints.Size(min = 2) String,
                @jakarta.validation.constraints.NotNull String> labels = new java.util.HashMap<>();

        java.util.List<@jakarta.validation.Valid Inner> items = java.util.List.of(new Inner(), new Inner());

        @jakarta.validation.constraints.Size(min = 3)
        @jakarta.validation.constraints.Pattern(regexp = "[a-z]+")
        String both = "A";

        @jakarta.validation.constraints.AssertTrue
        boolean isConsistent() {
            return false;
        }

        Shapes() {
            labels.put("k", "v");
            labels.put("key", null);
        }
    }

    @Test
    @DisplayName("renders nested properties, list indexes, map keys and getters, sorted by field and then rule")
    void everyPathShape() {
        assertThatThrownBy(() -> validator.validate(new Shapes()))
                .isInstanceOfSatisfying(BackupValidationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::field).containsExactly(
                            "both", "both", "consistent", "inner.value", "items[0].value", "items[1].value",
                            "labels[k]", "labels[key]");
                    assertThat(e.violations()).extracting(Violation::rule).containsExactly(
                            "Pattern", "Size", "AssertTrue", "NotNull", "NotNull", "NotNull", "Size", "NotNull");
                    assertThat(e.violations()).allSatisfy(v -> assertThat(v.message()).isNotBlank());
                });
    }

    @Test
    @DisplayName("a path with no named node is the request itself")
    void emptyPath() {
        jakarta.validation.Path empty = new jakarta.validation.Path() {
            @Override
            public java.util.Iterator<Node> iterator() {
                return java.util.Collections.emptyIterator();
            }

            @Override
            public String toString() {
                return "";
            }
        };
        assertThat(RequestValidator.field(empty)).isEqualTo("request");
    }

    @Test
    @DisplayName("one violation is reported as it is")
    void oneViolation() {
        BackupRequest request = BackupRequest.builder().projectId("p1").instanceId("i-1").name("1abc").build();
        assertThatThrownBy(() -> validator.validate(request))
                .isInstanceOfSatisfying(BackupValidationException.class, e -> {
                    assertThat(e.violations()).hasSize(1);
                    assertThat(e.violations().get(0).field()).isEqualTo("name");
                    assertThat(e.violations().get(0).rule()).isEqualTo("BackupName");
                });
    }
}
