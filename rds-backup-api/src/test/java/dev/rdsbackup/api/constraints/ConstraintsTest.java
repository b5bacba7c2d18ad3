package dev.rdsbackup.api.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.Validation;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The id, client token, database name and distinct-elements constraints")
class ConstraintsTest {

    /** A host DTO carrying each constraint once. */
    record Body(
            @ResourceId String id,
            @ClientToken String token,
            @DatabaseName String database,
            @DistinctElements List<String> distinct,
            List<@DatabaseName String> databases) {
    }

    static boolean idAccepted(String value) {
        return Validation.valueViolations(Body.class, "id", value).isEmpty();
    }

    static boolean tokenAccepted(String value) {
        return Validation.valueViolations(Body.class, "token", value).isEmpty();
    }

    static boolean databaseAccepted(String value) {
        return Validation.valueViolations(Body.class, "database", value).isEmpty();
    }

    static boolean distinct(List<String> value) {
        return Validation.valueViolations(Body.class, "distinct", value).isEmpty();
    }

    @Nested
    @DisplayName("@ResourceId")
    class ResourceIds {
        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"a", "0", "-", "_", "inst-01_a", "9f1c2e8a-7b6d-4c5e-8f90-a1b2c3d4e5f6"})
        void acceptsAsciiLettersDigitsDashAndUnderscoreFromAnyPosition(String id) {
            assertThat(idAccepted(id)).isTrue();
        }

        @Test
        void acceptsOneToSixtyFourCharacters() {
            assertThat(idAccepted("x".repeat(1))).isTrue();
            assertThat(idAccepted("x".repeat(64))).isTrue();
            assertThat(idAccepted("x".repeat(65))).isFalse();
            assertThat(idAccepted("")).isFalse();
        }

        @ParameterizedTest(name = "refuses \"{0}\"")
        @ValueSource(strings = {" ", "a b", "a/b", "a.b", "../etc", "a\n", "инстанс", "ｉｄ", "a%20"})
        void refusesEverythingElse(String id) {
            assertThat(idAccepted(id)).isFalse();
        }

        @Test
        void acceptsNullSoOptionalIdsCanUseIt() {
            assertThat(idAccepted(null)).isTrue();
        }
    }

    @Nested
    @DisplayName("@ClientToken")
    class ClientTokens {
        @Test
        void acceptsOneToSixtyFourPrintableAsciiCharacters() {
            assertThat(tokenAccepted("a")).isTrue();
            assertThat(tokenAccepted(" ~!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}")).isTrue();
            assertThat(tokenAccepted("t".repeat(64))).isTrue();
        }

        @Test
        void refusesEmptyAndLongerThanSixtyFour() {
            assertThat(tokenAccepted("")).isFalse();
            assertThat(tokenAccepted("t".repeat(65))).isFalse();
        }

        @ParameterizedTest(name = "refuses U+{0}")
        @ValueSource(ints = {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, 0x80, 0xE9, 0x200B, 0xFF21})
        void refusesControlAndNonAsciiCharacters(int codePoint) {
            assertThat(tokenAccepted("token" + Character.toString(codePoint))).isFalse();
        }

        @Test
        void acceptsNull() {
            assertThat(tokenAccepted(null)).isTrue();
        }
    }

    @Nested
    @DisplayName("@DatabaseName")
    class DatabaseNames {
        @ParameterizedTest(name = "accepts \"{0}\"")
        @ValueSource(strings = {"db1", "Sales DB", "my-db.prod", "заказы", "x"})
        void acceptsEngineStyleNamesOfAnyScript(String name) {
            assertThat(databaseAccepted(name)).isTrue();
        }

        @Test
        void acceptsAtMostSixtyFourCharacters() {
            assertThat(databaseAccepted("d".repeat(64))).isTrue();
            assertThat(databaseAccepted("d".repeat(65))).isFalse();
        }

        @ParameterizedTest(name = "refuses blank \"{0}\"")
        @ValueSource(strings = {"", " ", "   ", "\u2003"})
        void refusesBlankNames(String name) {
            assertThat(databaseAccepted(name)).isFalse();
        }

        @Test
        void refusesNull() {
            assertThat(databaseAccepted(null)).isFalse();
        }

        @ParameterizedTest(name = "refuses U+{0}")
        @ValueSource(ints = {0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x7F, 0x200B, 0x202E, 0xFEFF})
        void refusesControlAndInvisibleFormattingCharacters(int codePoint) {
            assertThat(databaseAccepted("db" + Character.toString(codePoint))).isFalse();
        }

        @Test
        void reportsOneViolationHoweverManyRulesAreBroken() {
            String blankLongAndControl = " ".repeat(70) + "\n";
            assertThat(Validation.valueViolations(Body.class, "database", blankLongAndControl)).hasSize(1);
        }

        @Test
        void onListElementsNamesTheIndexOfEachBadElement() {
            Body body = new Body(null, null, "ok", null, Arrays.asList("ok", "", "fine", null));
            assertThat(Validation.violatedPaths(body))
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).startsWith("databases[1]"))
                    .anySatisfy(p -> assertThat(p).startsWith("databases[3]"));
        }
    }

    @Nested
    @DisplayName("@DistinctElements")
    class Distinct {
        @Test
        void acceptsNullEmptyAndDistinctElements() {
            assertThat(distinct(null)).isTrue();
            assertThat(distinct(List.of())).isTrue();
            assertThat(distinct(List.of("a", "b", "c"))).isTrue();
        }

        @Test
        void comparesCaseSensitively() {
            assertThat(distinct(List.of("sales", "Sales"))).isTrue();
        }

        @Test
        void refusesAnElementGivenTwice() {
            assertThat(distinct(List.of("a", "b", "a"))).isFalse();
            assertThat(distinct(Arrays.asList(null, null))).isFalse();
        }

        @Test
        void namesTheCollectionNotTheValue() {
            Body body = new Body(null, null, "ok", List.of("secret", "secret"), null);
            assertThat(Validation.violations(body)).singleElement().satisfies(v -> {
                assertThat(v.getPropertyPath().toString()).isEqualTo("distinct");
                assertThat(v.getMessage()).isEqualTo("must not contain the same element twice");
            });
        }
    }
}
