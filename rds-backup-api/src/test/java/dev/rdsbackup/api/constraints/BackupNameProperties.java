package dev.rdsbackup.api.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.Validation;
import jakarta.validation.ConstraintViolation;
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

@Label("@BackupName, through Hibernate Validator on a host's own DTO")
class BackupNameProperties {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String NAME_CHARS = LETTERS + "0123456789-_";

    static Set<ConstraintViolation<HostDto>> violationsOfName(String name) {
        return Validation.valueViolations(HostDto.class, "name", name);
    }

    static boolean accepted(String name) {
        return violationsOfName(name).isEmpty();
    }

    static Arbitrary<Character> letters() {
        return Arbitraries.of(LETTERS.toCharArray());
    }

    static Arbitrary<String> nameChars(int min, int max) {
        return Arbitraries.strings().withChars(NAME_CHARS.toCharArray()).ofMinLength(min).ofMaxLength(max);
    }

    @Provide
    Arbitrary<String> validNames() {
        return Combinators.combine(letters(), nameChars(3, 63)).as((first, rest) -> first + rest);
    }

    @Provide
    Arbitrary<String> tooShort() {
        return Combinators.combine(letters(), nameChars(0, 2)).as((first, rest) -> first + rest);
    }

    @Provide
    Arbitrary<String> tooLong() {
        return Combinators.combine(letters(), nameChars(64, 300)).as((first, rest) -> first + rest);
    }

    @Provide
    Arbitrary<String> badFirstCharacter() {
        Arbitrary<Character> first = Arbitraries.of('0', '1', '5', '9', '-', '_');
        return Combinators.combine(first, nameChars(3, 63)).as((c, rest) -> c + rest);
    }

    /** A valid name with one character replaced by anything that is not an ASCII letter, digit, - or _. */
    @Provide
    Arbitrary<String> withForeignCharacter() {
        Arbitrary<Character> foreign = Arbitraries.chars().filter(c -> !Grammar.isNameChar(c));
        return Combinators.combine(validNames(), foreign, Arbitraries.integers().between(0, 63))
                .as((name, c, at) -> {
                    int i = at % name.length();
                    return name.substring(0, i) + c + name.substring(i + 1);
                });
    }

    /** Letters of other scripts: Cyrillic, accented Latin, Greek, fullwidth Latin, dotless i, long s. */
    @Provide
    Arbitrary<String> withNonAsciiLetter() {
        Arbitrary<Character> letter = Arbitraries.of(
                'а', 'о', 'Д', 'ж', 'é', 'Ä', 'ñ', 'ß', 'α', 'Ω', 'Ａ', 'ｚ', 'ı', 'ſ', '\u212A' /* Kelvin sign */);
        return Combinators.combine(validNames(), letter, Arbitraries.integers().between(0, 63))
                .as((name, c, at) -> {
                    int i = at % name.length();
                    return name.substring(0, i) + c + name.substring(i + 1);
                });
    }

    @Property
    void everyNameOfTheGrammarIsAccepted(@ForAll("validNames") String name) {
        assertThat(violationsOfName(name)).isEmpty();
    }

    @Property
    void namesShorterThanFourCharactersAreRefused(@ForAll("tooShort") String name) {
        assertThat(accepted(name)).isFalse();
    }

    @Property
    void namesLongerThanSixtyFourCharactersAreRefused(@ForAll("tooLong") String name) {
        assertThat(accepted(name)).isFalse();
    }

    @Property
    void namesStartingWithADigitDashOrUnderscoreAreRefused(@ForAll("badFirstCharacter") String name) {
        assertThat(accepted(name)).isFalse();
    }

    @Property
    void namesWithAnyOtherCharacterAreRefused(@ForAll("withForeignCharacter") String name) {
        assertThat(accepted(name)).isFalse();
    }

    @Property
    void lettersOutsideAsciiAreNotLettersHere(@ForAll("withNonAsciiLetter") String name) {
        assertThat(accepted(name)).isFalse();
    }

    @Property
    void theConstraintAgreesWithTheRuleForAnyString(@ForAll String anything) {
        assertThat(accepted(anything)).isEqualTo(Grammar.isValidName(anything));
    }

    @Property
    void theConstraintAgreesWithTheRuleForStringsMadeOfNameCharacters(@ForAll("nameCharsUpTo70") String s) {
        assertThat(accepted(s)).isEqualTo(Grammar.isValidName(s));
    }

    @Provide
    Arbitrary<String> nameCharsUpTo70() {
        return nameChars(0, 70);
    }

    @Property
    void aRefusedNameIsOneViolationWhoseMessageNeverEchoesTheValue(@ForAll("withForeignCharacter") String name) {
        Set<ConstraintViolation<HostDto>> violations = violationsOfName(name);
        assertThat(violations).hasSize(1);
        ConstraintViolation<HostDto> v = violations.iterator().next();
        assertThat(v.getMessage()).doesNotContain(name).doesNotContain("{");
        assertThat(v.getConstraintDescriptor().getAnnotation().annotationType()).isEqualTo(BackupName.class);
    }

    @Property(tries = 100)
    void caseMattersOnlyForUniquenessNotForValidity(@ForAll("validNames") String name) {
        assertThat(accepted(name.toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(accepted(name.toLowerCase(java.util.Locale.ROOT))).isTrue();
    }

    @Property(tries = 62)
    void lengthsFromFourToSixtyFourAreAccepted(@ForAll @IntRange(min = 3, max = 64) int length) {
        String name = "a" + "b".repeat(length - 1);
        assertThat(accepted(name)).isEqualTo(length >= 4);
    }

    @Example
    void theBoundaryLengthsAre4And64() {
        assertThat(accepted("abc")).as("3").isFalse();
        assertThat(accepted("abcd")).as("4").isTrue();
        assertThat(accepted("a" + "1".repeat(63))).as("64").isTrue();
        assertThat(accepted("a" + "1".repeat(64))).as("65").isFalse();
    }

    @Example
    void dailyAndDailyCapitalisedAreBothValid() {
        assertThat(accepted("Daily")).isTrue();
        assertThat(accepted("daily")).isTrue();
    }

    @Example
    void aLeadingDigitDashOrUnderscoreIsRefused() {
        assertThat(accepted("1backup")).isFalse();
        assertThat(accepted("-backup")).isFalse();
        assertThat(accepted("_backup")).isFalse();
        assertThat(accepted("b1-_")).isTrue();
    }

    @Example
    void cyrillicAccentedAndFullwidthLettersAreRefused() {
        assertThat(accepted("бэкап")).as("Cyrillic").isFalse();
        assertThat(accepted("bаckup")).as("Cyrillic a among Latin").isFalse();
        assertThat(accepted("résumé")).as("accented").isFalse();
        assertThat(accepted("Ｂａｃｋｕｐ")).as("fullwidth").isFalse();
        assertThat(accepted("backup١٢")).as("Arabic-Indic digits").isFalse();
    }

    @Example
    void spacesDotsAndLineBreaksAreRefused() {
        assertThat(accepted("my backup")).isFalse();
        assertThat(accepted("my.backup")).isFalse();
        assertThat(accepted("backup\n")).isFalse();
        assertThat(accepted("backup\r")).isFalse();
        assertThat(accepted("")).isFalse();
    }

    /** A host DTO whose name is optional. */
    record OptionalName(@BackupName String name) {
    }

    @Example
    void nullIsValidSoOptionalFieldsCanUseTheConstraint() {
        assertThat(Validation.violations(new OptionalName(null))).isEmpty();
        assertThat(Validation.violations(new OptionalName("1x"))).hasSize(1);
    }

    @Example
    void aRequiredNameCombinesItWithNotNull() {
        assertThat(Validation.violations(new HostDto(null, null)))
                .singleElement()
                .satisfies(v -> assertThat(v.getConstraintDescriptor().getAnnotation().annotationType())
                        .isEqualTo(jakarta.validation.constraints.NotNull.class));
    }

    @Example
    void aHostDtoWithAValidNameAndDescriptionHasNoViolations() {
        assertThat(Validation.violatedPaths(new HostDto("Daily-2024_01", "nightly full backup"))).isEmpty();
    }

    @Example
    void aHostDtoReportsItsBadNameAndDescriptionByField() {
        assertThat(Validation.violatedPaths(new HostDto("1st", "a < b"))).containsExactly("description", "name");
    }
}
