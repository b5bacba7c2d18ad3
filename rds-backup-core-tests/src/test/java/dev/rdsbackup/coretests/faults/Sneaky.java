package dev.rdsbackup.coretests.faults;

/** Throws a checked exception from code that does not declare it, as Kotlin or Lombok's @SneakyThrows do. */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} unchecked.
     *
     * @param t what to throw
     * @return never returns
     */
    public static RuntimeException sneakyThrow(Throwable t) {
        return Sneaky.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T doThrow(Throwable t) throws T {
        throw (T) t;
    }
}
