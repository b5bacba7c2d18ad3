package dev.rdsbackup.api.constraints;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A backup name: 4 to 64 characters, starting with an ASCII letter, made only of ASCII letters
 * (case-sensitive), digits, {@code -} and {@code _}. Letters outside ASCII (Cyrillic, accented, ...) are
 * not letters here.
 *
 * <p>{@code null} is valid (combine with {@code @NotNull} where the name is required), so hosts can put
 * this on optional fields of their own REST DTOs and get exactly the library's rule.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = BackupName.REGEXP)
@ReportAsSingleViolation
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface BackupName {
    /** The rule as a regular expression over the whole value. */
    String REGEXP = "[A-Za-z][A-Za-z0-9_-]{3,63}";

    /** The violation message; never echoes the rejected value. */
    String message() default "must be 4 to 64 characters, start with an ASCII letter and contain only "
            + "ASCII letters, digits, '-' and '_'";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};
}
