package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of a {@link BackupStore}: what rds-backup relies on for one active backup per instance,
 * unique names, idempotent creates, no lost update and correct listings. A host checks its own store by
 * extending this class in its test sources and implementing {@link #createStore()}:
 *
 * <pre>{@code
 * class JdbcBackupStoreContractTest extends BackupStoreContract {
 *     @Override
 *     protected BackupStore createStore() {
 *         return new JdbcBackupStore(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>Every test uses project ids and backup ids of its own (random per test), so a store backed by a shared
 * database need not be emptied between tests; a store that is emptied is fine too. The concurrency tests
 * use real threads ({@value #THREADS} callers released together, {@value #ROUNDS} rounds) and give up
 * after {@value #TIMEOUT_SECONDS} seconds. Only JUnit Jupiter is used, so the kit adds nothing else to a
 * host's test class path.
 */
@DisplayName("A backup store")
public abstract class BackupStoreContract {

    /** Callers released together in each concurrency round. */
    protected static final int THREADS = 8;
    /** Rounds of each concurrency test. */
    protected static final int ROUNDS = 25;
    /** The longest any concurrency test may take, in seconds. */
    protected static final long TIMEOUT_SECONDS = 30;

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Datastore MYSQL = new Datastore("MySQL", "8.0");

    private BackupStore store;
    private String nonce;
    private int nextId;

    /**
     * Makes the store under test. Called before every test; it may be a new empty store or a shared one
     * (the tests never see each other's records).
     *
     * @return the store
     */
    protected abstract BackupStore createStore();

    /**
     * Called after every test with the store {@link #createStore()} made, to close it. Does nothing unless
     * overridden.
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
    final void tearDownStore() {
        disposeStore(store);
    }

    /** The store under test. */
    protected final BackupStore store() {
        return store;
    }

    // ---------------------------------------------------------------- helpers

    private String project(String name) {
        return name + "-" + nonce;
    }

    private String newId() {
        return "b-" + nonce + "-" + (nextId++);
    }

    private BackupRecord.Builder record(String instanceId, String name) {
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

    private BackupRecord created(BackupRecord.Builder builder) {
        CreateResult result = store.create(builder.build());
        return assertInstanceOf(CreateResult.Created.class, result, "create should store the record").record();
    }

    private BackupQuery.Builder instanceQuery(String instanceId) {
        return BackupQuery.forInstance(project("p1"), instanceId);
    }

    private static List<String> ids(List<BackupRecord> records) {
        return records.stream().map(BackupRecord::id).toList();
    }

    /** Records for listing tests: instance i-1 and i-2, both types, several statuses, tied begin times. */
    private List<BackupRecord> listingFixture() {
        List<BackupRecord> all = new ArrayList<>();
        BackupStatus[] statuses = {BackupStatus.COMPLETED, BackupStatus.FAILED, BackupStatus.CANCELLED};
        for (int i = 0; i < 23; i++) {
            String instance = i % 3 == 0 ? "i-2" : "i-1";
            all.add(created(record(instance, "backup-" + i)
                    .type(i % 4 == 0 ? BackupType.AUTOMATED : BackupType.MANUAL)
                    .status(statuses[i % statuses.length])
                    // Pairs of records share a begin time, so the id decides their order.
                    .beginTime(T0.plus(Duration.ofMinutes(i / 2)))));
        }
        return all;
    }

    private List<BackupRecord> expected(List<BackupRecord> all, BackupQuery query) {
        return all.stream().filter(query::matches).sorted(BackupQuery.NEWEST_FIRST).toList();
    }

    private static <T> List<T> race(ExecutorService pool, IntFunction<T> action) throws Exception {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int caller = i;
            futures.add(pool.submit(() -> {
                ready.countDown();
                if (!go.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the start signal never came");
                }
                return action.apply(caller);
            }));
        }
        assertTrue(ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "callers did not start in time");
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    private static long count(List<CreateResult> results, Class<? extends CreateResult> kind) {
        return results.stream().filter(kind::isInstance).count();
    }

    // ---------------------------------------------------------------- create

    /** {@link BackupStore#create}: the three uniqueness checks, in order. */
    @Nested
    @DisplayName("when creating a record")
    class Create {

        @Test
        @DisplayName("stores it with version 0 and finds it by id")
        void storesWithVersionZero() {
            BackupRecord stored = created(record("i-1", "first").version(7));

            assertEquals(0, stored.version());
            assertEquals(Optional.of(stored), store.find(stored.id()));
        }

        @Test
        @DisplayName("finds nothing for an id it never stored")
        void findsNothingForUnknownId() {
            assertEquals(Optional.empty(), store.find(newId()));
        }

        @Test
        @DisplayName("refuses a second record with the same client token in the project")
        void refusesReusedClientToken() {
            BackupRecord first = created(record("i-1", "first").clientToken("token-1"));

            CreateResult result = store.create(record("i-2", "second").clientToken("token-1").build());

            assertEquals(first.id(), assertInstanceOf(CreateResult.ClientTokenTaken.class, result).existing().id());
            assertEquals(Optional.of(first), store.findByClientToken(first.projectId(), "token-1"));
        }

        @Test
        @DisplayName("refuses a second record with the same name on the instance, whatever its status")
        void refusesSameName() {
            BackupRecord first = created(record("i-1", "nightly").status(BackupStatus.FAILED));

            CreateResult result = store.create(record("i-1", "nightly").status(BackupStatus.COMPLETED).build());

            assertEquals(first.id(), assertInstanceOf(CreateResult.NameTaken.class, result).existing().id());
        }

        @Test
        @DisplayName("treats names case-sensitively: Daily and daily are different names")
        void namesAreCaseSensitive() {
            created(record("i-1", "Daily"));

            assertInstanceOf(CreateResult.Created.class, store.create(record("i-1", "daily").build()));
        }

        @Test
        @DisplayName("allows the same name on another instance")
        void sameNameOnAnotherInstance() {
            created(record("i-1", "nightly"));

            assertInstanceOf(CreateResult.Created.class, store.create(record("i-2", "nightly").build()));
        }

        @Test
        @DisplayName("refuses a second BUILDING record on the instance and names the active one")
        void refusesSecondBuilding() {
            BackupRecord active = created(record("i-1", "first").status(BackupStatus.BUILDING));

            CreateResult result = store.create(record("i-1", "second").status(BackupStatus.BUILDING).build());

            assertEquals(active.id(), assertInstanceOf(CreateResult.InstanceBusy.class, result).active().id());
        }

        @Test
        @DisplayName("allows a BUILDING record on another instance while one instance is busy")
        void buildingOnAnotherInstance() {
            created(record("i-1", "first").status(BackupStatus.BUILDING));

            assertInstanceOf(CreateResult.Created.class,
                    store.create(record("i-2", "second").status(BackupStatus.BUILDING).build()));
        }

        @Test
        @DisplayName("allows a record that is not BUILDING while another is BUILDING")
        void finishedRecordBesideBuilding() {
            created(record("i-1", "first").status(BackupStatus.BUILDING));

            assertInstanceOf(CreateResult.Created.class,
                    store.create(record("i-1", "imported").status(BackupStatus.COMPLETED).build()));
        }

        @Test
        @DisplayName("checks the client token first, then the name, then the active backup")
        void checksInOrder() {
            created(record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-1"));

            assertInstanceOf(CreateResult.ClientTokenTaken.class, store.create(
                    record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-1").build()));
            assertInstanceOf(CreateResult.NameTaken.class, store.create(
                    record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-2").build()));
            assertInstanceOf(CreateResult.InstanceBusy.class, store.create(
                    record("i-1", "free").status(BackupStatus.BUILDING).clientToken("token-3").build()));
        }

        @Test
        @DisplayName("stores nothing when it refuses a record")
        void refusalStoresNothing() {
            created(record("i-1", "taken"));
            BackupRecord refused = record("i-1", "taken").clientToken("token-9").build();

            store.create(refused);

            assertEquals(Optional.empty(), store.find(refused.id()));
            assertEquals(Optional.empty(), store.findByClientToken(refused.projectId(), "token-9"));
        }
    }

    // ---------------------------------------------------------------- concurrent create

    /** {@link BackupStore#create} under real concurrent callers. */
    @Nested
    @DisplayName("when many callers create at the same moment")
    @Timeout(value = 2 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    class ConcurrentCreate {

        private ExecutorService pool;

        @BeforeEach
        void startPool() {
            pool = Executors.newFixedThreadPool(THREADS);
        }

        @AfterEach
        void stopPool() throws InterruptedException {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS), "callers did not stop");
        }

        @Test
        @DisplayName("lets exactly one of the BUILDING records of an instance in")
        void oneBuildingPerInstance() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String instance = "race-" + round;
                List<BackupRecord> attempts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    attempts.add(record(instance, "backup-" + i).status(BackupStatus.BUILDING).build());
                }

                List<CreateResult> results = race(pool, i -> store.create(attempts.get(i)));

                assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
                assertEquals(THREADS - 1, count(results, CreateResult.InstanceBusy.class), "round " + round);
                assertEquals(1, store.query(instanceQuery(instance).build()).totalCount(), "round " + round);
            }
        }

        @Test
        @DisplayName("lets exactly one of the records with the same name in")
        void oneRecordPerName() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String instance = "race-" + round;
                List<BackupRecord> attempts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    attempts.add(record(instance, "same-name").build());
                }

                List<CreateResult> results = race(pool, i -> store.create(attempts.get(i)));

                assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
                assertEquals(THREADS - 1, count(results, CreateResult.NameTaken.class), "round " + round);
                assertEquals(1, store.query(instanceQuery(instance).build()).totalCount(), "round " + round);
            }
        }

        @Test
        @DisplayName("lets exactly one of the records with the same client token in")
        void oneRecordPerClientToken() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                String token = "token-" + round;
                List<BackupRecord> attempts = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    attempts.add(record("race-" + round + "-" + i, "backup-" + i).clientToken(token).build());
                }

                List<CreateResult> results = race(pool, i -> store.create(attempts.get(i)));

                assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
                assertEquals(THREADS - 1, count(results, CreateResult.ClientTokenTaken.class), "round " + round);
            }
        }

        @Test
        @DisplayName("lets exactly one of many writers at the same version win a compare-and-set")
        void oneCompareAndSetWins() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                BackupRecord stored = created(record("cas-" + round, "contended"));

                List<Optional<BackupRecord>> results = race(pool, i -> store.compareAndSet(
                        stored.toBuilder().sizeBytes(i + 1).build(), stored.version()));

                List<BackupRecord> winners = results.stream().flatMap(Optional::stream).toList();
                assertEquals(1, winners.size(), "round " + round);
                assertEquals(Optional.of(winners.get(0)), store.find(stored.id()), "round " + round);
            }
        }
    }

    // ---------------------------------------------------------------- compare-and-set

    /** {@link BackupStore#compareAndSet}: optimistic concurrency on the version. */
    @Nested
    @DisplayName("when replacing a record with compare-and-set")
    class CompareAndSet {

        @Test
        @DisplayName("replaces it at the expected version and stores the next version")
        void replacesAtExpectedVersion() {
            BackupRecord stored = created(record("i-1", "first").status(BackupStatus.BUILDING));
            BackupRecord next = stored.toBuilder().status(BackupStatus.COMPLETED).sizeBytes(42).build();

            Optional<BackupRecord> written = store.compareAndSet(next, 0);

            assertTrue(written.isPresent());
            assertEquals(1, written.get().version());
            assertEquals(BackupStatus.COMPLETED, written.get().status());
            assertEquals(written, store.find(stored.id()));
        }

        @Test
        @DisplayName("ignores the version carried by the new content")
        void ignoresVersionOfNext() {
            BackupRecord stored = created(record("i-1", "first"));

            Optional<BackupRecord> written = store.compareAndSet(stored.toBuilder().version(41).build(), 0);

            assertEquals(1, written.orElseThrow().version());
        }

        @Test
        @DisplayName("refuses a stale version and keeps the stored record")
        void refusesStaleVersion() {
            BackupRecord stored = created(record("i-1", "first"));
            BackupRecord v1 = store.compareAndSet(stored.toBuilder().sizeBytes(1).build(), 0).orElseThrow();

            Optional<BackupRecord> stale = store.compareAndSet(stored.toBuilder().sizeBytes(2).build(), 0);

            assertEquals(Optional.empty(), stale);
            assertEquals(Optional.of(v1), store.find(stored.id()));
        }

        @Test
        @DisplayName("refuses a version from the future")
        void refusesFutureVersion() {
            BackupRecord stored = created(record("i-1", "first"));

            assertEquals(Optional.empty(), store.compareAndSet(stored.toBuilder().sizeBytes(2).build(), 5));
            assertEquals(Optional.of(stored), store.find(stored.id()));
        }

        @Test
        @DisplayName("refuses a record that is not stored")
        void refusesMissingRecord() {
            BackupRecord never = record("i-1", "ghost").build();

            assertEquals(Optional.empty(), store.compareAndSet(never, 0));
            assertEquals(Optional.empty(), store.find(never.id()));
        }

        @Test
        @DisplayName("frees the instance for another backup once its BUILDING record has moved on")
        void leavingBuildingFreesInstance() {
            BackupRecord building = created(record("i-1", "first").status(BackupStatus.BUILDING));
            store.compareAndSet(building.toBuilder().status(BackupStatus.FAILED).build(), 0).orElseThrow();

            assertInstanceOf(CreateResult.Created.class,
                    store.create(record("i-1", "second").status(BackupStatus.BUILDING).build()));
        }

        @Test
        @DisplayName("keeps the name taken after a write")
        void nameStaysTaken() {
            BackupRecord stored = created(record("i-1", "nightly"));
            store.compareAndSet(stored.toBuilder().status(BackupStatus.FAILED).build(), 0).orElseThrow();

            assertInstanceOf(CreateResult.NameTaken.class, store.create(record("i-1", "nightly").build()));
        }
    }

    // ---------------------------------------------------------------- delete

    /** {@link BackupStore#delete}: removal at a version. */
    @Nested
    @DisplayName("when deleting a record")
    class Delete {

        @Test
        @DisplayName("removes it at the expected version")
        void removesAtExpectedVersion() {
            BackupRecord stored = created(record("i-1", "first"));

            assertTrue(store.delete(stored.id(), 0));
            assertEquals(Optional.empty(), store.find(stored.id()));
        }

        @Test
        @DisplayName("keeps it when the version is stale")
        void keepsAtStaleVersion() {
            BackupRecord stored = created(record("i-1", "first"));
            BackupRecord v1 = store.compareAndSet(stored.toBuilder().sizeBytes(1).build(), 0).orElseThrow();

            assertFalse(store.delete(stored.id(), 0));
            assertEquals(Optional.of(v1), store.find(stored.id()));
        }

        @Test
        @DisplayName("answers false for a record that is gone")
        void falseWhenGone() {
            BackupRecord stored = created(record("i-1", "first"));
            assertTrue(store.delete(stored.id(), 0));

            assertFalse(store.delete(stored.id(), 0));
        }

        @Test
        @DisplayName("frees the name and the client token, and drops the record from listings")
        void freesNameAndToken() {
            BackupRecord stored = created(record("i-1", "nightly").clientToken("token-1"));
            assertTrue(store.delete(stored.id(), 0));

            assertEquals(Optional.empty(), store.findByClientToken(stored.projectId(), "token-1"));
            assertEquals(0, store.query(instanceQuery("i-1").build()).totalCount());
            assertInstanceOf(CreateResult.Created.class,
                    store.create(record("i-1", "nightly").clientToken("token-1").build()));
        }
    }

    // ---------------------------------------------------------------- query

    /** {@link BackupStore#query}: filters, order, paging and total count. */
    @Nested
    @DisplayName("when listing records")
    class Query {

        @Test
        @DisplayName("lists them newest first, and by id descending when begin times are equal")
        void newestFirst() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = BackupQuery.forProject(project("p1")).build();

            BackupPage page = store.query(query);

            assertEquals(ids(expected(all, query)), ids(page.items()));
        }

        @Test
        @DisplayName("returns every matching record exactly once when walking page by page")
        void pagesCoverEveryRecordOnce() {
            List<BackupRecord> all = listingFixture();
            for (int limit : new int[] {1, 2, 3, 5, 7, 100}) {
                BackupQuery first = BackupQuery.forProject(project("p1")).limit(limit).build();
                List<String> walked = new ArrayList<>();
                for (int offset = 0; offset < all.size() + limit; offset += limit) {
                    BackupPage page = store.query(first.toBuilder().offset(offset).build());
                    assertEquals(all.size(), page.totalCount(), "total count at offset " + offset);
                    assertTrue(page.items().size() <= limit, "page larger than its limit");
                    walked.addAll(ids(page.items()));
                }
                assertEquals(ids(expected(all, first)), walked, "pages of " + limit);
            }
        }

        @Test
        @DisplayName("answers an empty page, with the total count, past the last record")
        void offsetPastTheEnd() {
            List<BackupRecord> all = listingFixture();

            BackupPage page = store.query(BackupQuery.forProject(project("p1")).offset(all.size()).limit(10).build());

            assertEquals(List.of(), page.items());
            assertEquals(all.size(), page.totalCount());
            assertFalse(page.hasMore());
        }

        @Test
        @DisplayName("keeps only the instance asked for")
        void filtersByInstance() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = instanceQuery("i-2").build();

            BackupPage page = store.query(query);

            assertEquals(ids(expected(all, query)), ids(page.items()));
            assertEquals(expected(all, query).size(), page.totalCount());
        }

        @Test
        @DisplayName("keeps only the type asked for")
        void filtersByType() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = BackupQuery.forProject(project("p1")).type(BackupType.AUTOMATED).build();

            BackupPage page = store.query(query);

            assertEquals(ids(expected(all, query)), ids(page.items()));
            assertEquals(expected(all, query).size(), page.totalCount());
        }

        @Test
        @DisplayName("keeps only the statuses asked for")
        void filtersByStatus() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = BackupQuery.forProject(project("p1"))
                    .statuses(BackupStatus.FAILED, BackupStatus.CANCELLED).build();

            BackupPage page = store.query(query);

            assertEquals(ids(expected(all, query)), ids(page.items()));
            assertEquals(expected(all, query).size(), page.totalCount());
        }

        @Test
        @DisplayName("keeps begin times in the window, start included and end excluded")
        void filtersByWindow() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = BackupQuery.forProject(project("p1"))
                    .window(T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(5))).build();

            BackupPage page = store.query(query);

            assertEquals(ids(expected(all, query)), ids(page.items()));
            assertEquals(6, page.totalCount(), "three minutes of two records each");
        }

        @Test
        @DisplayName("combines every filter and pages through the combination")
        void combinesFilters() {
            List<BackupRecord> all = listingFixture();
            BackupQuery query = instanceQuery("i-1").type(BackupType.MANUAL)
                    .statuses(BackupStatus.COMPLETED, BackupStatus.FAILED)
                    .window(T0, T0.plus(Duration.ofMinutes(9))).offset(1).limit(3).build();
            List<BackupRecord> matching = expected(all, query);

            BackupPage page = store.query(query);

            assertEquals(ids(matching.subList(1, Math.min(4, matching.size()))), ids(page.items()));
            assertEquals(matching.size(), page.totalCount());
        }

        @Test
        @DisplayName("sees the latest content of a record after compare-and-set")
        void seesLatestContent() {
            BackupRecord stored = created(record("i-1", "first").status(BackupStatus.BUILDING));
            BackupRecord done = store.compareAndSet(stored.toBuilder().status(BackupStatus.COMPLETED).build(), 0)
                    .orElseThrow();

            assertEquals(List.of(), store.query(instanceQuery("i-1").statuses(BackupStatus.BUILDING).build()).items());
            assertEquals(List.of(done),
                    store.query(instanceQuery("i-1").statuses(BackupStatus.COMPLETED).build()).items());
        }

        @Test
        @DisplayName("answers an empty page for an instance without records")
        void emptyInstance() {
            listingFixture();

            BackupPage page = store.query(instanceQuery("i-none").build());

            assertEquals(List.of(), page.items());
            assertEquals(0, page.totalCount());
        }
    }

    // ---------------------------------------------------------------- isolation

    /** Every operation is scoped to a project. */
    @Nested
    @DisplayName("across projects")
    class ProjectIsolation {

        @Test
        @DisplayName("never lists another project's records")
        void listingIsScoped() {
            BackupRecord mine = created(record("i-1", "mine"));
            created(record("i-1", "theirs").projectId(project("p2")));

            assertEquals(List.of(mine), store.query(BackupQuery.forProject(project("p1")).build()).items());
            assertEquals(List.of(mine), store.query(instanceQuery("i-1").build()).items());
        }

        @Test
        @DisplayName("keeps names and the active backup apart for the same instance id")
        void namesAndBusyAreScoped() {
            created(record("i-1", "nightly").status(BackupStatus.BUILDING));

            assertInstanceOf(CreateResult.Created.class, store.create(
                    record("i-1", "nightly").projectId(project("p2")).status(BackupStatus.BUILDING).build()));
        }

        @Test
        @DisplayName("keeps client tokens apart")
        void clientTokensAreScoped() {
            BackupRecord mine = created(record("i-1", "mine").clientToken("token-1"));
            BackupRecord theirs = created(record("i-1", "theirs").projectId(project("p2")).clientToken("token-1"));

            assertEquals(Optional.of(mine), store.findByClientToken(project("p1"), "token-1"));
            assertEquals(Optional.of(theirs), store.findByClientToken(project("p2"), "token-1"));
            assertEquals(Optional.empty(), store.findByClientToken(project("p3"), "token-1"));
        }
    }

    // ---------------------------------------------------------------- leases

    /** {@link BackupStore#findExpiredLeases}: work left by a replica that died. */
    @Nested
    @DisplayName("when looking for expired leases")
    class ExpiredLeases {

        private final Instant now = T0.plus(Duration.ofHours(1));

        private List<String> expiredOfThisTest(int limit) {
            String project = project("p1");
            return store.findExpiredLeases(now, limit).stream()
                    .filter(r -> r.projectId().equals(project)).map(BackupRecord::id).toList();
        }

        @Test
        @DisplayName("finds BUILDING and DELETING records whose lease expired at or before now")
        void findsExpiredWork() {
            BackupRecord building = created(record("i-1", "building").status(BackupStatus.BUILDING)
                    .lease(new Lease("dead-replica", now.minusSeconds(1))));
            BackupRecord deleting = created(record("i-2", "deleting").status(BackupStatus.DELETING)
                    .lease(new Lease("dead-replica", now)));

            assertEquals(Set.of(building.id(), deleting.id()), new HashSet<>(expiredOfThisTest(1000)));
        }

        @Test
        @DisplayName("ignores leases that are still valid")
        void ignoresLiveLeases() {
            created(record("i-1", "building").status(BackupStatus.BUILDING)
                    .lease(new Lease("live-replica", now.plusMillis(1))));

            assertEquals(List.of(), expiredOfThisTest(1000));
        }

        @Test
        @DisplayName("ignores finished records even with an expired lease")
        void ignoresTerminalRecords() {
            for (BackupStatus status : List.of(BackupStatus.COMPLETED, BackupStatus.FAILED,
                    BackupStatus.CANCELLED, BackupStatus.DELETE_FAILED)) {
                created(record("i-1", "done-" + status.name().replace('_', '-')).status(status)
                        .lease(new Lease("dead-replica", now.minusSeconds(60))));
            }

            assertEquals(List.of(), expiredOfThisTest(1000));
        }

        @Test
        @DisplayName("answers no more records than the limit")
        void respectsLimit() {
            for (int i = 0; i < 5; i++) {
                created(record("i-" + i, "building").status(BackupStatus.BUILDING)
                        .lease(new Lease("dead-replica", now.minusSeconds(i + 1))));
            }

            assertTrue(store.findExpiredLeases(now, 3).size() <= 3);
            assertEquals(5, expiredOfThisTest(1000).size());
        }
    }
}
