package dev.rdsbackup.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Test support: puts {@code null} into each reference component of a record's canonical constructor in
 * turn, and checks that required components are refused with a {@link NullPointerException} whose
 * message is exactly the component's name, and that optional ones are accepted.
 */
public final class NullChecks {
    private NullChecks() {
    }

    /**
     * Checks every reference component of {@code valid}'s record class.
     *
     * @param valid an instance whose components are all valid
     * @param required the names of the components that must not be null; every other reference component
     *     must accept null
     */
    public static void assertNullChecks(Record valid, String... required) {
        Class<?> type = valid.getClass();
        RecordComponent[] components = type.getRecordComponents();
        Set<String> requiredNames = new LinkedHashSet<>(List.of(required));
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(components).forEach(c -> names.add(c.getName()));
        assertThat(names).as("components of %s", type.getSimpleName()).containsAll(requiredNames);

        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            try {
                values[i] = components[i].getAccessor().invoke(valid);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < components.length; i++) {
            if (types[i].isPrimitive()) {
                continue;
            }
            Object[] args = values.clone();
            args[i] = null;
            String name = components[i].getName();
            if (requiredNames.contains(name)) {
                assertThat(construct(canonical, args))
                        .as("%s with null %s", type.getSimpleName(), name)
                        .isInstanceOf(NullPointerException.class)
                        .hasMessage(name);
            } else {
                assertThatCode(() -> {
                    Throwable t = construct(canonical, args);
                    if (t != null) {
                        throw t;
                    }
                }).as("%s with null %s (optional)", type.getSimpleName(), name).doesNotThrowAnyException();
            }
        }
    }

    private static Throwable construct(Constructor<?> canonical, Object[] args) {
        try {
            canonical.newInstance(args);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
