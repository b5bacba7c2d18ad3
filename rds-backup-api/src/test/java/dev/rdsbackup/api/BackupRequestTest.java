package dev.rdsbackup.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("BackupRequest")
class BackupRequestTest {

    static BackupRequest.Builder valid() {
        return BackupRequest.builder().projectId("p-1").instanceId("i-1").name("Daily");
    }

    @Nested
    @DisplayName("validated as a whole")
    class Validated {
        @Test
        void aMinimalRequestIsValid() {
            assertThat(Validation.violations(valid().build())).isEmpty();
        }

        @Test
        void aFullRequestIsValid() {
            assertThat(Validation.violations(Fixtures.fullRequest())).isEmpty();
        }

        @Test
        void everyViolationIsReportedAtOnceWithItsFieldPath() {
            BackupRequest request = BackupRequest.builder()
                    .projectId("project 1")
                    .instanceId("")
                    .name("1st")
                    .description("a < b")
                    .databases("sales", " ", "hr")
                    .clientToken("")
                    .build();
            List<String> paths = Validation.violatedPaths(request);
            assertThat(paths).hasSize(6);
            assertThat(paths).contains("projectId", "instanceId", "name", "description", "clientToken");
            assertThat(paths).anySatisfy(p -> assertThat(p).startsWith("databases[1]"));
        }

        @Test
        void aDatabaseNamedTwiceIsAViolationOfTheList() {
            BackupRequest request = valid().databases("sales", "hr", "sales").build();
            assertThat(Validation.violatedPaths(request)).containsExactly("databases");
        }

        @Test
        void oneHundredDatabasesAreAllowedAndOneHundredAndOneAreNot() {
            List<String> hundred = IntStream.range(0, 100).mapToObj(i -> "db" + i).toList();
            assertThat(Validation.violations(valid().databases(hundred).build())).isEmpty();
            List<String> more = new ArrayList<>(hundred);
            more.add("db100");
            assertThat(Validation.violatedPaths(valid().databases(more).build())).containsExactly("databases");
        }
    }

    @Nested
    @DisplayName("its builder")
    class Builder {
        @Test
        void reportsEveryMissingRequiredValueAtOnce() {
            assertThatThrownBy(() -> BackupRequest.builder().type(null).build())
                    .isInstanceOfSatisfying(BackupValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.violations()).extracting(Violation::field)
                                .containsExactly("projectId", "instanceId", "name", "type");
                        assertThat(e.violations()).extracting(Violation::rule).containsOnly("NotNull");
                        assertThat(e.getMessage()).contains("projectId", "instanceId", "name", "type");
                    });
        }

        @Test
        void namesOnlyWhatIsMissing() {
            assertThatThrownBy(() -> BackupRequest.builder().projectId("p").instanceId("i").build())
                    .isInstanceOfSatisfying(BackupValidationException.class, e ->
                            assertThat(e.violations()).extracting(Violation::field).containsExactly("name"));
        }

        @Test
        void defaultsToAManualFullBackupWithoutDescriptionOrToken() {
            BackupRequest r = valid().build();
            assertThat(r.type()).isEqualTo(BackupType.MANUAL);
            assertThat(r.databases()).isEmpty();
            assertThat(r.isPartial()).isFalse();
            assertThat(r.descriptionIfAny()).isEmpty();
            assertThat(r.clientTokenIfAny()).isEmpty();
        }

        @Test
        void treatsNullDatabasesAsAFullBackup() {
            assertThat(valid().databases((List<String>) null).build().databases()).isEmpty();
            assertThat(valid().databases((String[]) null).build().databases()).isEmpty();
        }

        @Test
        void aRequestNamingDatabasesIsPartial() {
            assertThat(valid().databases("sales").build().isPartial()).isTrue();
        }

        @Test
        void toBuilderThenBuildGivesAnEqualRequest() {
            BackupRequest full = Fixtures.fullRequest();
            assertThat(full.toBuilder().build()).isEqualTo(full);
            assertThat(full.toBuilder().name("Weekly").build().name()).isEqualTo("Weekly");
            assertThat(full.descriptionIfAny()).contains("before the upgrade");
            assertThat(full.clientTokenIfAny()).contains("tok-1");
        }

        @Test
        void copiesTheDatabaseList() {
            List<String> databases = new ArrayList<>(List.of("sales"));
            BackupRequest.Builder builder = valid().databases(databases);
            databases.add("hr");
            BackupRequest r = builder.build();
            assertThat(r.databases()).containsExactly("sales");
            assertThatThrownBy(() -> r.databases().add("x")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void theConstructorCopiesTheDatabaseListAndKeepsItUnmodifiable() {
        List<String> databases = new ArrayList<>(List.of("sales"));
        BackupRequest r = new BackupRequest("p", "i", "Daily", null, databases, null, BackupType.MANUAL);
        databases.add("hr");
        assertThat(r.databases()).containsExactly("sales");
        assertThat(r.databases()).isInstanceOf(Collections.unmodifiableList(new ArrayList<>()).getClass());
    }

    @Test
    void toStringNeverPrintsTheDescriptionOrTheClientToken() {
        BackupRequest r = valid().description("<img src=x onerror=steal()>").clientToken("secret-token").build();
        assertThat(r.toString())
                .doesNotContain("img").doesNotContain("steal")
                .doesNotContain("secret-token")
                .contains("p-1", "i-1", "Daily");
    }
}
