package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Runs Bean Validation and turns every violation into one {@link BackupValidationException}. */
public final class RequestValidator {
    private static final Comparator<Violation> ORDER =
            Comparator.comparing(Violation::field).thenComparing(Violation::rule).thenComparing(Violation::message);

    /** A constraint annotation's simple name, the violation's rule. */
    private static final ClassValue<String> RULE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName();
        }
    };

    private final Validator validator;

    /**
     * Creates the validator.
     *
     * @param validator a Bean Validation validator
     */
    public RequestValidator(Validator validator) {
        this.validator = validator;
    }

    /**
     * Validates a value.
     *
     * @param value the request or query
     * @param <T> its type
     * @return the value, if valid
     * @throws BackupValidationException listing every violation, sorted by field
     */
    public <T> T validate(T value) {
        Set<ConstraintViolation<T>> found = validator.validate(value);
        if (!found.isEmpty()) {
            throw new BackupValidationException(toViolations(found));
        }
        return value;
    }

    /**
     * Converts Bean Validation violations.
     *
     * @param found the violations
     * @param <T> the validated type
     * @return the violations, sorted
     */
    public static <T> List<Violation> toViolations(Set<ConstraintViolation<T>> found) {
        List<Violation> out = new ArrayList<>(found.size());
        for (ConstraintViolation<T> v : found) {
            out.add(new Violation(field(v.getPropertyPath()),
                    RULE_NAMES.get(v.getConstraintDescriptor().getAnnotation().annotationType()),
                    v.getMessage()));
        }
        if (out.size() > 1) {
            out.sort(ORDER);
        }
        return out;
    }

    /**
     * Renders a property path as {@code name}, {@code databases[2]} or {@code windowEnd}.
     *
     * @param path the Bean Validation path
     * @return the field
     */
    static String field(Path path) {
        String plain = path.toString();
        if (!plain.isEmpty() && plain.indexOf('<') < 0 && plain.indexOf('[') < 0) {
            return plain; // a plain property path such as "name" or "windowEnd"
        }
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            // A node inside a list or map carries the index or key of the element it is in: the element of
            // a container ("databases[1]") or a property of a cascaded element ("items[0].value").
            if (node.isInIterable() && node.getIndex() != null) {
                sb.append('[').append(node.getIndex()).append(']');
            } else if (node.isInIterable() && node.getKey() != null) {
                sb.append('[').append(node.getKey()).append(']');
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.getName() == null || node.getName().isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(node.getName());
        }
        return sb.length() == 0 ? "request" : sb.toString();
    }
}
