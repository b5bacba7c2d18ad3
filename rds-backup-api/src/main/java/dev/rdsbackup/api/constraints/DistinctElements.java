package dev.rdsbackup.api.constraints;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.RECORD_COMPONENT;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The elements of a collection are distinct ({@code equals}). {@code null} is valid. */
@Documented
@Constraint(validatedBy = DistinctElements.Validator.class)
@Target({FIELD, METHOD, PARAMETER, RECORD_COMPONENT, TYPE_USE, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface DistinctElements {
    /** The violation message; never echoes the rejected value. */
    String message() default "must not contain the same element twice";

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload for clients of the constraint. */
    Class<? extends Payload>[] payload() default {};

    /** Checks {@link DistinctElements}. */
    final class Validator implements ConstraintValidator<DistinctElements, Collection<?>> {
        /** Creates the validator; Bean Validation calls this. */
        public Validator() {
        }

        @Override
        public boolean isValid(Collection<?> value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Set<Object> seen = new HashSet<>();
            for (Object element : value) {
                if (!seen.add(element)) {
                    return false;
                }
            }
            return true;
        }
    }
}
