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
 * An idempotency client token: 1 to 64 printable ASCII characters (space to tilde). {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = ClientToken.REGEXP)
@ReportAsSingleViolation
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface ClientToken {
    /** The rule as a regular expression over the whole value. */
    String REGEXP = "[\\x20-\\x7E]{1,64}";

    /** The violation message; never echoes the rejected value. */
    String message() default "must be 1 to 64 printable ASCII characters";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};
}
