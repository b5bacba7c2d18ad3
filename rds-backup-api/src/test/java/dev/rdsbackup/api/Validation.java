package dev.rdsbackup.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Test support: one Hibernate Validator for every test, bootstrapped without Expression Language (hosts
 * can do the same; none of our messages needs EL).
 */
public final class Validation {
    private static final ValidatorFactory FACTORY = jakarta.validation.Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();

    private Validation() {
    }

    /** The shared validator (thread-safe). */
    public static Validator validator() {
        return FACTORY.getValidator();
    }

    /** Every violation of {@code bean}. */
    public static <T> Set<ConstraintViolation<T>> violations(T bean) {
        return validator().validate(bean);
    }

    /** The property paths of every violation of {@code bean}, sorted. */
    public static List<String> violatedPaths(Object bean) {
        return violations(bean).stream()
                .map(v -> v.getPropertyPath().toString())
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * Every violation of {@code value} as the value of {@code property} in {@code beanType}, without building
     * a bean (so record constructors do not get in the way).
     */
    public static <T> Set<ConstraintViolation<T>> valueViolations(Class<T> beanType, String property, Object value) {
        return validator().validateValue(beanType, property, value);
    }
}
