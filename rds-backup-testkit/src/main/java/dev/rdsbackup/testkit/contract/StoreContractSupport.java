package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.RecordComponent;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of {@link BackupStoreContract} shares: the store's life cycle, the hooks, this test's
 * own ids and projects, record builders and the race harness. Not public: hosts extend
 * {@link BackupStoreContract}.
 */
abstract class StoreContractSupport {

    /** Callers released together in each concurrency round; the store needs as many pooled connections. */
    protected static final int THREADS = 8;
    /** Rounds of each concurrency test in which store calls overlapped in time. */
    protected static final int CONTENDED_ROUNDS = 60;
    /** The most rounds a concurrency test runs to get {@value #CONTENDED_ROUNDS} contended ones. */
    protected static final int MAX_ROUNDS = 600;
    /** Records a create race writes before its rounds, so that the store is not nearly empty. */
    protected static final int BACKGROUND_RECORDS = 1_500;
    /** The longest any single concurrency step may wait, in seconds. */
    protected static final long TIMEOUT_SECONDS = 30;

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final Datastore MYSQL = new Datastore("MySQL", "8.0");
    /** An instant with every microsecond digit set: a store keeping milliseconds or seconds loses some. */
    static final Instant T0_MICROS = T0.plus(123_456, ChronoUnit.MICROS);

    private BackupStore store;
    private ExecutorService callers;
    private String nonce;
    private int nextId;

    /**
     * Makes the store under test. Called before every test; it may be a new empty store or a long-lived
     * shared one holding any number of other records (the kit reads and counts only its own: every test
     * uses project ids and backup ids of its own, random per test).
     *
     * @return the store
     */
    protected abstract BackupStore createStore();

    /**
     * Called after every test with the store {@link #createStore()} made. Does nothing unless overridden.
     * A store that owns resources of its own (a test database, an embedded server) closes them here; a
     * store over a connection pool shared by the test class returns its connections here but leaves the
     * pool open (close the pool in the host's {@code @AfterAll}). The kit never deletes its records: a
     * shared database keeps them, and later runs ignore them.
     *
     * @param store the store
     */
    protected void disposeStore(BackupStore store) {
    }

    @BeforeEach
    final void setUpStore() {
        store = createStore();
        nonce = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    @AfterEach
    final void tearDownStore() throws InterruptedException {
        try {
            if (callers != null) {
                callers.shutdownNow();
                assertTrue(callers.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "callers did not stop");
            }
        } finally {
            disposeStore(store);
        }
    }

    /** The {@value #THREADS} threads of this test's races, made on first use. */
    final ExecutorService callers() {
        if (callers == null) {
            callers = Executors.newFixedThreadPool(THREADS);
        }
        return callers;
    }

    /** The store under test. */
    protected final BackupStore store() {
        return store;
    }

    // ---------------------------------------------------------------- ids and records of this test

    final String project(String name) {
        return name + "-" + nonce;
    }

    /** Every backup id of this test starts with this; no other test's id does. */
    final String idPrefix() {
        return "b-" + nonce + "-";
    }

    final String newId() {
        return id(String.format("%04d", nextId++));
    }

    final String id(String suffix) {
        return idPrefix() + suffix;
    }

    final BackupRecord.Builder record(String instanceId, String name) {
        return BackupRecord.builder()
                .id(newId())
                .projectId(project("p1"))
                .instanceId(instanceId)
                .name(name)
                .type(BackupType.MANUAL)
                .status(BackupStatus.COMPLETED)
                .datastore(MYSQL)
                .beginTime(T0);
    }

    /** A record with every field set, every instant at microsecond precision, a 256-character description. */
    final BackupRecord.Builder fullRecord(String instanceId, String name) {
        return record(instanceId, name)
                .status(BackupStatus.BUILDING)
                .type(BackupType.AUTOMATED)
                .description(description256())
                .datastore(new Datastore("PostgreSQL", "16.2"))
                .databases(List.of("orders", "Billing", "audit_log"))
                .clientToken("token-" + name)
                .beginTime(T0_MICROS)
                .endTime(T0_MICROS.plus(Duration.ofMinutes(7)).plus(654_321, ChronoUnit.MICROS))
                .sizeBytes(5_000_000_123L)
                .progress(new BackupProgress(37, 1_850_000_045L, 5_000_000_123L,
                        T0_MICROS.plus(Duration.ofMinutes(9)).plus(1, ChronoUnit.MICROS)))
                .failure(new BackupFailure(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED, "lock wait timed out (attempt 2)"))
                .attempts(3)
                .lease(new Lease("replica-a", T0_MICROS.plus(Duration.ofSeconds(30)).plus(999, ChronoUnit.MICROS)))
                .lock(new BackupLock(instanceId, "session-4711"));
    }

    static String description256() {
        StringBuilder b = new StringBuilder(256);
        String words = "Nightly copy before the schema change; keep it. ";
        while (b.length() < 256) {
            b.append(words);
        }
        b.setLength(255);
        return b.append('!').toString();
    }

    final BackupRecord created(BackupRecord.Builder builder) {
        CreateResult result = store.create(builder.build());
        return assertInstanceOf(CreateResult.Created.class, result, "create should store the record").record();
    }

    final BackupQuery.Builder instanceQuery(String instanceId) {
        return BackupQuery.forInstance(project("p1"), instanceId);
    }

    static List<String> ids(List<BackupRecord> records) {
        return records.stream().map(BackupRecord::id).toList();
    }

    /**
     * Every record of this test whose lease expired at {@code now}, paging from this test's own id prefix
     * so that other records of a shared store are neither read nor counted. Checks on the way that every
     * page is ordered by id, byte-wise, and starts after the id asked for.
     */
    final List<String> expiredOfThisTest(Instant now, int pageSize) {
        String prefix = idPrefix();
        List<String> found = new ArrayList<>();
        String after = prefix;
        for (int pages = 0; pages < 10_000; pages++) {
            List<BackupRecord> page = store.findExpiredLeases(now, after, pageSize);
            assertTrue(page.size() <= pageSize, "a page of " + page.size() + " records for a limit of " + pageSize);
            for (BackupRecord r : page) {
                assertTrue(r.id().compareTo(after) > 0,
                        "id " + r.id() + " listed after " + after + ": ids must be compared byte-wise");
                assertTrue(r.lease() != null && r.lease().isExpiredAt(now), "record " + r.id() + " has no expired lease");
                if (!r.id().startsWith(prefix)) {
                    return found;
                }
                after = r.id();
                found.add(r.id());
            }
            if (page.size() < pageSize) {
                return found;
            }
        }
        throw new AssertionError("findExpiredLeases never reached the end of this test's records");
    }

    // ---------------------------------------------------------------- races

    /**
     * What a race did: every caller's result, in caller order, and whether at least two callers' calls
     * overlapped in time (on this machine's monotonic clock).
     *
     * @param results every caller's result
     * @param overlapped whether two calls were in the store at the same moment
     * @param <T> the result type
     */
    record Race<T>(List<T> results, boolean overlapped) {
    }

    /**
     * Runs {@code action} on {@value #THREADS} callers at once. No thread gives a start signal: each caller
     * announces itself and then spins until all have, so the last one to arrive starts at once and every
     * caller spinning on another core starts within a fraction of a microsecond of it. (A signal from the
     * test thread would need a core of its own, and callers woken one by one would run one after another.)
     */
    static <T> Race<T> race(ExecutorService pool, IntFunction<T> action) throws Exception {
        StartLine line = new StartLine(THREADS);
        List<Future<Timed<T>>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int caller = i;
            futures.add(pool.submit(() -> {
                line.arriveAndAwaitAll();
                long start = System.nanoTime();
                T result = action.apply(caller);
                return new Timed<>(result, start, System.nanoTime());
            }));
        }
        List<Timed<T>> timed = new ArrayList<>();
        for (Future<Timed<T>> future : futures) {
            timed.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        boolean overlapped = false;
        for (int i = 0; i < timed.size() && !overlapped; i++) {
            for (int j = i + 1; j < timed.size() && !overlapped; j++) {
                overlapped = timed.get(i).start - timed.get(j).end < 0 && timed.get(j).start - timed.get(i).end < 0;
            }
        }
        return new Race<>(timed.stream().map(Timed::result).toList(), overlapped);
    }

    /**
     * Runs race rounds until {@value #CONTENDED_ROUNDS} of them had calls that overlapped in time, so that
     * a busy machine, where callers often run one after another, runs more rounds rather than judging on
     * fewer contended ones; at most {@value #MAX_ROUNDS} rounds (on an idle machine almost every round
     * counts, so {@value #CONTENDED_ROUNDS} rounds are enough).
     *
     * @param round runs round {@code n} and answers whether its calls overlapped
     */
    static void contendedRounds(RoundAction round) throws Exception {
        int contended = 0;
        for (int n = 0; n < MAX_ROUNDS && contended < CONTENDED_ROUNDS; n++) {
            if (round.run(n)) {
                contended++;
            }
        }
    }

    /** One round of a race test. */
    @FunctionalInterface
    interface RoundAction {
        /**
         * Runs a round.
         *
         * @param round its number, from 0
         * @return whether calls overlapped in time
         * @throws Exception anything the round throws
         */
        boolean run(int round) throws Exception;
    }

    private record Timed<T>(T result, long start, long end) {
    }

    static long count(List<CreateResult> results, Class<? extends CreateResult> kind) {
        return results.stream().filter(kind::isInstance).count();
    }

    /** Where callers wait, spinning, until all of them have arrived. */
    private static final class StartLine {
        private static final int PURE_SPINS = 20_000;
        private final AtomicInteger arrived = new AtomicInteger();
        private final int callers;

        StartLine(int callers) {
            this.callers = callers;
        }

        void arriveAndAwaitAll() throws InterruptedException {
            arrived.incrementAndGet();
            for (int spins = 1; arrived.get() < callers; spins++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("not every caller arrived");
                }
                // A busy spin at first, so that the callers that arrived last (and hold the cores) start
                // together; then mostly yielding, so that on a machine with fewer cores than callers the
                // callers still to arrive get to run.
                if (spins > PURE_SPINS && spins % 16 == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Fails naming every field of {@code actual} that differs from {@code expected}. */
    static void assertSameRecord(BackupRecord expected, BackupRecord actual, String where) {
        if (expected.equals(actual)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        for (RecordComponent component : BackupRecord.class.getRecordComponents()) {
            Object want = value(component, expected);
            Object got = value(component, actual);
            if (!Objects.equals(want, got)) {
                differences.add(component.getName().equals("description")
                        ? "description (" + length(want) + " characters written, " + length(got) + " read)"
                        : component.getName() + " (wrote " + want + ", read " + got + ")");
            }
        }
        throw new AssertionError(where + ": every field must come back exactly as written, instants at "
                + BackupStore.TIMESTAMP_PRECISION + " or finer; differs: " + String.join("; ", differences));
    }

    private static Object value(RecordComponent component, BackupRecord record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String length(Object text) {
        return text == null ? "no" : Integer.toString(((String) text).length());
    }
}
