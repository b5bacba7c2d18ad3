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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The name of a database inside an instance, for a partial backup: not blank, at most 64 characters, no
 * control or invisible formatting characters. Engines allow many characters in database names; whether
 * the database exists is checked against the instance, not here.
 */
@Documented
@Constraint(validatedBy = {})
@NotBlank
@Size(max = 64)
@Pattern(regexp = DatabaseName.REGEXP)
@ReportAsSingleViolation
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface DatabaseName {
    /** The characters allowed, as a regular expression over the whole value. */
    String REGEXP = "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*";

    /** The violation message; never echoes the rejected value. */
    String message() default "must be a non-blank database name of at most 64 characters without control "
            + "or invisible formatting characters";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};
}
