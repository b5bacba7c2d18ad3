package dev.rdsbackup.testkit.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A deliberately broken adapter and the contract tests that must catch it.
 *
 * @param name what is wrong with it
 * @param factory makes one
 * @param caughtBy the test methods of its contract that must fail (all of them, or any one when {@code anyOf})
 * @param anyOf whether one failing test of {@code caughtBy} is enough (races that each may catch the bug)
 * @param <T> the SPI it implements
 */
record BrokenCase<T>(String name, Supplier<? extends T> factory, Set<String> caughtBy, boolean anyOf) {

    static <T> BrokenCase<T> of(String name, Supplier<? extends T> factory, String... caughtBy) {
        return new BrokenCase<>(name, factory, Set.of(caughtBy), false);
    }

    static <T> BrokenCase<T> anyOf(String name, Supplier<? extends T> factory, String... caughtBy) {
        return new BrokenCase<>(name, factory, Set.of(caughtBy), true);
    }

    /** Whether a kit run with these failed tests caught this adapter. */
    boolean caughtIn(Set<String> failed) {
        return anyOf ? caughtBy.stream().anyMatch(failed::contains) : failed.containsAll(caughtBy);
    }

    @SafeVarargs
    static <T> Map<String, BrokenCase<T>> catalogue(BrokenCase<T>... cases) {
        Map<String, BrokenCase<T>> all = new LinkedHashMap<>();
        for (BrokenCase<T> c : cases) {
            if (all.put(c.name(), c) != null) {
                throw new IllegalArgumentException("two cases named " + c.name());
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return name;
    }
}
