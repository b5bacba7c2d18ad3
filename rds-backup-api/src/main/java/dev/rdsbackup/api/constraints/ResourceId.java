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
 * An id of a project, instance or backup: 1 to 64 ASCII letters, digits, {@code -} and {@code _}.
 * {@code null} is valid; combine with {@code @NotNull} where the id is required.
 */
@Documented
@Constraint(validatedBy = {})
@Pattern(regexp = ResourceId.REGEXP)
@ReportAsSingleViolation
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface ResourceId {
    /** The rule as a regular expression over the whole value. */
    String REGEXP = "[A-Za-z0-9_-]{1,64}";

    /** The violation message; never echoes the rejected value. */
    String message() default "must be 1 to 64 ASCII letters, digits, '-' and '_'";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};
}
