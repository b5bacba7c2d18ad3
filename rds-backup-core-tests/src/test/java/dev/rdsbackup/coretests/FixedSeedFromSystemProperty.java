package dev.rdsbackup.coretests;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Optional;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Registered for every jqwik property of this module (through {@code META-INF/services}): when the system
 * property {@value #SEED} is set, every property runs with that seed and never replays an earlier failure,
 * so a run is repeatable. The mutation-testing profile sets it: a mutant's verdict must not depend on the
 * seed of the day. Without it, jqwik draws seeds as configured.
 */
public final class FixedSeedFromSystemProperty implements AroundPropertyHook {
    /** The system property holding the seed (a {@code long}). */
    public static final String SEED = "rdsbackup.jqwik.seed";

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public boolean appliesTo(Optional<AnnotatedElement> element) {
        return element.filter(Method.class::isInstance).isPresent();
    }

    @Override
    public int aroundPropertyProximity() {
        // Outside every hook a property names itself, so those see the seed already set.
        return -100;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(Long.toString(Long.parseLong(seed.trim())));
            context.attributes().setAfterFailure(AfterFailureMode.RANDOM_SEED);
        }
        return property.execute();
    }
}
