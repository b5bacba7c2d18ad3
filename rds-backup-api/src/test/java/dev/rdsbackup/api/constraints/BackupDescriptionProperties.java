package dev.rdsbackup.api.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.Validation;
import jakarta.validation.ConstraintViolation;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

@Label("@BackupDescription, through Hibernate Validator on a host's own DTO")
class BackupDescriptionProperties {

    /** Every character (as a string, so supplementary ones fit) the constraint refuses anywhere. */
    static final List<String> FORBIDDEN = List.of(
            ">", "!", "<", "\"", "&", "'", "=",
            "\r", "\n", "\t", "\u0000", "\u0007", "\u001B" /* ESC, starts terminal escapes */, "\u007F",
            "\u0085" /* NEL */, "\u009B" /* CSI */,
            "\u00AD" /* soft hyphen */, "\u200B" /* zero-width space */, "\u200C", "\u200D", "\u2060",
            "\uFEFF" /* BOM */, "\u200E" /* LRM */, "\u200F" /* RLM */, "\u202A", "\u202B", "\u202C",
            "\u202D" /* LRO */, "\u202E" /* RLO */, "\u2066", "\u2067", "\u2068", "\u2069",
            "\u2028" /* LINE SEPARATOR */, "\u2029" /* PARAGRAPH SEPARATOR */,
            "\uDB40\uDC01" /* U+E0001 LANGUAGE TAG, a supplementary format character */);

    static Set<ConstraintViolation<HostDto>> violationsOfDescription(String description) {
        return Validation.valueViolations(HostDto.class, "description", description);
    }

    static boolean accepted(String description) {
        return violationsOfDescription(description).isEmpty();
    }

    static boolean allowedChar(char c) {
        return Grammar.isValidDescription(String.valueOf(c));
    }

    /** Printable text of every script: ASCII, Latin-1, Cyrillic, CJK, emoji halves; nothing forbidden. */
    static Arbitrary<String> allowedText(int min, int max) {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                        Arbitraries.chars().range(' ', '~'),
                        Arbitraries.chars().range('\u00A0', '\u024F'),
                        Arbitraries.chars().range('\u0400', '\u04FF'),
                        Arbitraries.chars().range('\u4E00', '\u4FFF'),
                        Arbitraries.chars())
                .filter(BackupDescriptionProperties::allowedChar);
        return chars.list().ofMinSize(min).ofMaxSize(max).map(list -> {
            StringBuilder sb = new StringBuilder(list.size());
            list.forEach(sb::append);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<String> validDescriptions() {
        return allowedText(0, 256);
    }

    @Provide
    Arbitrary<String> tooLong() {
        return allowedText(257, 400);
    }

    /** A valid description with one forbidden character put in anywhere, still at most 256 long. */
    @Provide
    Arbitrary<String> withForbiddenCharacter() {
        return Combinators.combine(allowedText(0, 254), Arbitraries.of(FORBIDDEN), Arbitraries.integers().between(0, 254))
                .as((text, bad, at) -> {
                    int i = Math.min(at, text.length());
                    return text.substring(0, i) + bad + text.substring(i);
                });
    }

    @Property
    void everyAllowedTextUpTo256CharactersIsAccepted(@ForAll("validDescriptions") String description) {
        assertThat(violationsOfDescription(description)).isEmpty();
    }

    @Property(tries = 100)
    void textLongerThan256CharactersIsRefused(@ForAll("tooLong") String description) {
        assertThat(accepted(description)).isFalse();
    }

    @Property
    void anyForbiddenCharacterAnywhereIsRefused(@ForAll("withForbiddenCharacter") String description) {
        assertThat(accepted(description)).isFalse();
    }

    @Property
    void theConstraintAgreesWithTheRuleForAnyString(@ForAll String anything) {
        assertThat(accepted(anything)).isEqualTo(Grammar.isValidDescription(anything));
    }

    @Property
    void theConstraintAgreesWithTheRuleForAnyCharacter(@ForAll char c) {
        assertThat(accepted(String.valueOf(c))).isEqualTo(Grammar.isValidDescription(String.valueOf(c)));
    }

    @Property
    void aRefusedDescriptionIsOneViolationWhoseMessageNeverEchoesTheValue(
            @ForAll("withForbiddenCharacter") String description) {
        Set<ConstraintViolation<HostDto>> violations = violationsOfDescription(description);
        assertThat(violations).hasSize(1);
        ConstraintViolation<HostDto> v = violations.iterator().next();
        assertThat(v.getConstraintDescriptor().getAnnotation().annotationType()).isEqualTo(BackupDescription.class);
        assertThat(v.getMessage()).doesNotContain("{");
        if (description.length() > 3) {
            assertThat(v.getMessage()).doesNotContain(description);
        }
    }

    @Property(tries = 30)
    void lengthsUpTo256AreAccepted(@ForAll @IntRange(min = 250, max = 260) int length) {
        assertThat(accepted("d".repeat(length))).isEqualTo(length <= 256);
    }

    @Example
    void theBoundaryLengthIs256() {
        assertThat(accepted("x".repeat(256))).isTrue();
        assertThat(accepted("x".repeat(257))).isFalse();
        assertThat(accepted("é".repeat(256))).as("counted in characters, not bytes").isTrue();
    }

    @Example
    void nullAndEmptyAreAccepted() {
        assertThat(accepted(null)).isTrue();
        assertThat(accepted("")).isTrue();
        assertThat(Validation.violations(new HostDto("Daily", null))).isEmpty();
    }

    @Example
    void eachCharacterNamedByTheRuleIsRefused() {
        for (String c : List.of(">", "!", "<", "\"", "&", "'", "=", "\r")) {
            assertThat(accepted("before " + c + " after")).as("%s", c.equals("\r") ? "CR" : c).isFalse();
            assertThat(accepted(c)).as("alone: %s", c.equals("\r") ? "CR" : c).isFalse();
        }
    }

    @Example
    void lineFeedsControlCharactersAndInvisibleFormattingAreRefused() {
        assertThat(accepted("line one\nline two")).as("LF").isFalse();
        assertThat(accepted("tab\there")).as("TAB").isFalse();
        assertThat(accepted("\u001B[31mred")).as("ANSI escape").isFalse();
        assertThat(accepted("zero\u200Bwidth")).as("zero-width space").isFalse();
        assertThat(accepted("abc\u202Efed")).as("right-to-left override").isFalse();
        assertThat(accepted("\uFEFFbom")).as("byte order mark").isFalse();
    }

    @Example
    void ordinaryPunctuationAndOtherScriptsAreAllowed() {
        assertThat(accepted("Before the 2024-01 upgrade (v8.0 -> no, v8.4); 100% done? yes: #1, @ops, [x] {y} ~z"
                .replace(">", ""))).isTrue();
        assertThat(accepted("Резервная копия перед обновлением")).isTrue();
        assertThat(accepted("升级前的备份 🚀")).isTrue();
        assertThat(accepted("café, naïve, Ærøskøbing")).isTrue();
    }
}
