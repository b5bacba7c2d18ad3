package dev.rdsbackup.http;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * One Hibernate Validator for every test's service, bootstrapped as the service bootstraps its default one: the
 * tests build a fresh service per case, and bootstrapping a validator each time would dominate their run time.
 */
final class SharedValidator {
    static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private SharedValidator() {
    }
}
