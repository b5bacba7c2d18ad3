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
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A backup description: at most 256 characters, none of {@code > ! < " & ' =}, and no control or
 * invisible formatting characters (carriage return and line feed included; also the Unicode line and
 * paragraph separators, bidirectional overrides and zero-width characters, which can break or disguise
 * text in consoles and logs).
 *
 * <p>{@code null} and the empty string are valid. Descriptions are echoed into consoles and logs, so even
 * a valid one is untrusted text: rds-backup never logs it.
 */
@Documented
@Constraint(validatedBy = {})
@Size(max = BackupDescription.MAX_LENGTH)
@Pattern(regexp = BackupDescription.REGEXP)
@ReportAsSingleViolation
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface BackupDescription {
    /** The longest description, in UTF-16 code units (as {@link String#length()} counts). */
    int MAX_LENGTH = 256;

    /** The characters allowed, as a regular expression over the whole value. */
    String REGEXP = "[^><!\"&'=\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*";

    /** The violation message; never echoes the rejected value. */
    String message() default "must be at most 256 characters and contain none of > ! < \" & ' = and no "
            + "carriage return or other control or invisible formatting character";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};
}
