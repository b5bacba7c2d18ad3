package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link BackupStore}: what rds-backup relies on for one active backup per instance,
 * unique names, idempotent creates, no lost update, correct listings and the reconciler's look-ups. A host
 * checks its own store by extending this class in its test sources and implementing {@link #createStore()}:
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
 * <p><b>What it checks.</b> Creates (the three uniqueness conditions in their order; only a {@code BUILDING}
 * record blocks another; a stored id is refused); every field coming back unchanged from {@code create},
 * {@code find}, {@code findByClientToken}, {@code compareAndSet}, {@code query} and
 * {@code findExpiredLeases}, instants at {@link BackupStore#TIMESTAMP_PRECISION}; ids, names and tokens
 * compared exactly and ids ordered byte-wise ({@code B < _ < a < b}), with {@code _} and {@code %} taken as
 * plain characters; compare-and-set and delete at a version; listings (filters, the order of
 * {@link BackupQuery#NEWEST_FIRST} with ties broken by id, paging, counts); project isolation; expired
 * leases paged by id and lease renewal; and the atomic operations under concurrent callers.
 *
 * <p><b>Tests are flat.</b> Every test is a method of this class, named "group: sentence", so a host's
 * reports list them under the host's own test class.
 *
 * <p><b>A shared, long-lived database is fine.</b> Every test uses project ids and backup ids of its own
 * (random per test) and reads, counts and pages only through those, so the store need not be emptied and may
 * hold any number of other records; the kit never deletes what it wrote. {@link #disposeStore} says what to
 * do with a pooled store.
 *
 * <p><b>Connections.</b> The concurrency tests release {@value #THREADS} callers at once, each making one
 * store call: a store over a connection pool needs at least {@value #THREADS} connections for them to run
 * truly together (a smaller pool makes callers queue for a connection, which hides races). Each runs rounds
 * until {@value #CONTENDED_ROUNDS} of them had store calls overlapping in time, at most {@value #MAX_ROUNDS};
 * the create races first write {@value #BACKGROUND_RECORDS} records of their own, once per store object
 * (a {@link #createStore()} that answers the same object for the whole class writes them once). A store
 * that checks and then inserts is caught only in rounds where callers really run at the same moment: on a
 * machine whose cores are all taken by other work, fewer rounds do.
 *
 * <p><b>What it cannot check.</b> Atomicity across several replicas' processes (it calls one store object
 * from many threads; a SQL store gets the same guarantee from its database either way), durability across
 * restarts, and behaviour under network or database failures. Only JUnit Jupiter is used, so the kit adds
 * nothing else to a host's test class path.
 */
@DisplayName("A backup store")
public abstract class BackupStoreContract extends StoreConcurrencyChecks {

    /** For subclasses. */
    protected BackupStoreContract() {
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

    private static List<BackupRecord> expected(List<BackupRecord> all, BackupQuery query) {
        return all.stream().filter(query::matches).sorted(BackupQuery.NEWEST_FIRST).toList();
    }

    // ---------------------------------------------------------------- query

    @Test
    @DisplayName("query: lists records newest first, and by id descending when begin times are equal")
    void newestFirst() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = BackupQuery.forProject(project("p1")).build();

        BackupPage page = store().query(query);

        assertEquals(ids(expected(all, query)), ids(page.items()));
    }

    @Test
    @DisplayName("query: breaks ties in begin time by id compared byte-wise (b, a, _, B, 9 descending)")
    void tiesByteWise() {
        List<BackupRecord> all = new ArrayList<>();
        for (String suffix : List.of("a", "B", "_", "b", "9")) {
            all.add(created(record("i-1", "tie-" + suffix).id(id("tie-" + suffix)).beginTime(T0)));
        }
        BackupQuery query = instanceQuery("i-1").build();

        assertEquals(List.of(id("tie-b"), id("tie-a"), id("tie-_"), id("tie-B"), id("tie-9")),
                ids(store().query(query).items()));
        assertEquals(ids(expected(all, query)), ids(store().query(query).items()));
    }

    @Test
    @DisplayName("query: returns every matching record exactly once when walking page by page")
    void pagesCoverEveryRecordOnce() {
        List<BackupRecord> all = listingFixture();
        for (int limit : new int[] {1, 2, 3, 5, 7, 100}) {
            BackupQuery first = BackupQuery.forProject(project("p1")).limit(limit).build();
            List<String> walked = new ArrayList<>();
            for (int offset = 0; offset < all.size() + limit; offset += limit) {
                BackupPage page = store().query(first.toBuilder().offset(offset).build());
                assertEquals(all.size(), page.totalCount(), "total count at offset " + offset);
                assertTrue(page.items().size() <= limit, "page larger than its limit");
                walked.addAll(ids(page.items()));
            }
            assertEquals(ids(expected(all, first)), walked, "pages of " + limit);
        }
    }

    @Test
    @DisplayName("query: answers an empty page, with the total count, past the last record")
    void offsetPastTheEnd() {
        List<BackupRecord> all = listingFixture();

        BackupPage page = store().query(BackupQuery.forProject(project("p1")).offset(all.size()).limit(10).build());

        assertEquals(List.of(), page.items());
        assertEquals(all.size(), page.totalCount());
        assertFalse(page.hasMore());
    }

    @Test
    @DisplayName("query: keeps only the instance asked for")
    void filtersByInstance() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = instanceQuery("i-2").build();

        BackupPage page = store().query(query);

        assertEquals(ids(expected(all, query)), ids(page.items()));
        assertEquals(expected(all, query).size(), page.totalCount());
    }

    @Test
    @DisplayName("query: matches the instance id exactly, _ included (not as a LIKE pattern), case-sensitively")
    void instanceIsNotAPattern() {
        BackupRecord exact = created(record("db_1", "exact"));
        created(record("dbx1", "wildcard-match"));
        created(record("DB_1", "other-case"));
        created(record("db_10", "longer"));

        BackupPage page = store().query(instanceQuery("db_1").build());

        assertEquals(List.of(exact.id()), ids(page.items()));
        assertEquals(1, page.totalCount());
    }

    @Test
    @DisplayName("query: keeps only the type asked for")
    void filtersByType() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = BackupQuery.forProject(project("p1")).type(BackupType.AUTOMATED).build();

        BackupPage page = store().query(query);

        assertEquals(ids(expected(all, query)), ids(page.items()));
        assertEquals(expected(all, query).size(), page.totalCount());
    }

    @Test
    @DisplayName("query: keeps only the statuses asked for")
    void filtersByStatus() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = BackupQuery.forProject(project("p1"))
                .statuses(BackupStatus.FAILED, BackupStatus.CANCELLED).build();

        BackupPage page = store().query(query);

        assertEquals(ids(expected(all, query)), ids(page.items()));
        assertEquals(expected(all, query).size(), page.totalCount());
    }

    @Test
    @DisplayName("query: keeps begin times in the window, start included and end excluded")
    void filtersByWindow() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = BackupQuery.forProject(project("p1"))
                .window(T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(5))).build();

        BackupPage page = store().query(query);

        assertEquals(ids(expected(all, query)), ids(page.items()));
        assertEquals(6, page.totalCount(), "three minutes of two records each");
    }

    @Test
    @DisplayName("query: combines every filter and pages through the combination")
    void combinesFilters() {
        List<BackupRecord> all = listingFixture();
        BackupQuery query = instanceQuery("i-1").type(BackupType.MANUAL)
                .statuses(BackupStatus.COMPLETED, BackupStatus.FAILED)
                .window(T0, T0.plus(Duration.ofMinutes(9))).offset(1).limit(3).build();
        List<BackupRecord> matching = expected(all, query);

        BackupPage page = store().query(query);

        assertEquals(ids(matching.subList(1, Math.min(4, matching.size()))), ids(page.items()));
        assertEquals(matching.size(), page.totalCount());
    }

    @Test
    @DisplayName("query: sees the latest content of a record after compare-and-set")
    void seesLatestContent() {
        BackupRecord stored = created(record("i-1", "first").status(BackupStatus.BUILDING));
        BackupRecord done = store().compareAndSet(stored.toBuilder().status(BackupStatus.COMPLETED).build(), 0)
                .orElseThrow();

        assertEquals(List.of(), store().query(instanceQuery("i-1").statuses(BackupStatus.BUILDING).build()).items());
        assertEquals(List.of(done),
                store().query(instanceQuery("i-1").statuses(BackupStatus.COMPLETED).build()).items());
    }

    @Test
    @DisplayName("query: answers an empty page for an instance without records")
    void emptyInstance() {
        listingFixture();

        BackupPage page = store().query(instanceQuery("i-none").build());

        assertEquals(List.of(), page.items());
        assertEquals(0, page.totalCount());
    }

    // ---------------------------------------------------------------- isolation

    @Test
    @DisplayName("projects: never lists or counts another project's records")
    void listingIsScoped() {
        BackupRecord mine = created(record("i-1", "mine"));
        created(record("i-1", "theirs").projectId(project("p2")));
        created(record("i-2", "theirs-too").projectId(project("p2")));

        BackupPage byProject = store().query(BackupQuery.forProject(project("p1")).build());
        BackupPage byInstance = store().query(instanceQuery("i-1").build());
        assertEquals(List.of(mine), byProject.items());
        assertEquals(1, byProject.totalCount());
        assertEquals(List.of(mine), byInstance.items());
        assertEquals(1, byInstance.totalCount());
    }

    @Test
    @DisplayName("projects: keeps names and the active backup apart for the same instance id")
    void namesAndBusyAreScoped() {
        created(record("i-1", "nightly").status(BackupStatus.BUILDING));

        assertInstanceOf(CreateResult.Created.class, store().create(
                record("i-1", "nightly").projectId(project("p2")).status(BackupStatus.BUILDING).build()));
    }

    @Test
    @DisplayName("projects: keeps client tokens apart")
    void clientTokensAreScoped() {
        BackupRecord mine = created(record("i-1", "mine").clientToken("token-1"));
        BackupRecord theirs = created(record("i-1", "theirs").projectId(project("p2")).clientToken("token-1"));

        assertEquals(Optional.of(mine), store().findByClientToken(project("p1"), "token-1"));
        assertEquals(Optional.of(theirs), store().findByClientToken(project("p2"), "token-1"));
        assertEquals(Optional.empty(), store().findByClientToken(project("p3"), "token-1"));
    }

    // ---------------------------------------------------------------- leases

    private static final Instant NOW = T0.plus(Duration.ofHours(1));

    @Test
    @DisplayName("leases: finds records of any status whose lease expired at or before now, every field intact")
    void findsExpiredWork() {
        BackupRecord building = created(record("i-1", "building").status(BackupStatus.BUILDING)
                .lease(new Lease("dead-replica", NOW.minusSeconds(1))));
        BackupRecord deleting = created(record("i-2", "deleting").status(BackupStatus.DELETING)
                .lease(new Lease("dead-replica", NOW)));
        BackupRecord ended = created(record("i-3", "cancelled").status(BackupStatus.CANCELLED)
                .endTime(T0).lock(new BackupLock("i-3", "session-9"))
                .lease(new Lease("dead-replica", NOW.minusSeconds(60))));
        BackupRecord written = fullRecord("i-4", "full").status(BackupStatus.FAILED).build();
        BackupRecord full = created(written.toBuilder());

        assertEquals(List.of(building.id(), deleting.id(), ended.id(), full.id()), expiredOfThisTest(NOW, 1000));
        List<BackupRecord> page = store().findExpiredLeases(NOW, ended.id(), 1);
        assertSameRecord(written.withVersion(0), page.get(0), "findExpiredLeases");
    }

    @Test
    @DisplayName("leases: ignores leases that are still valid and records without a lease")
    void ignoresLiveLeases() {
        created(record("i-1", "building").status(BackupStatus.BUILDING)
                .lease(new Lease("live-replica", NOW.plusMillis(1))));
        created(record("i-2", "done").status(BackupStatus.COMPLETED).endTime(T0));
        created(record("i-3", "barely").status(BackupStatus.BUILDING)
                .lease(new Lease("live-replica", NOW.plusNanos(1000))));

        assertEquals(List.of(), expiredOfThisTest(NOW, 1000));
    }

    @Test
    @DisplayName("leases: answers pages ordered by id (whatever the order of writing), each after the id asked for, none larger than the limit")
    void pagesById() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(id("lease-" + i));
        }
        // Written out of id order, with a live lease and a lease-free record among them.
        for (int i : new int[] {4, 0, 6, 2, 5, 1, 3}) {
            created(record("i-" + i, "building").id(ids.get(i)).status(BackupStatus.BUILDING)
                    .lease(new Lease("dead-replica", NOW.minusSeconds(i + 1))));
        }
        created(record("i-live", "live").id(id("lease-1a")).status(BackupStatus.BUILDING)
                .lease(new Lease("live-replica", NOW.plusSeconds(60))));
        created(record("i-none", "none").id(id("lease-2a")).status(BackupStatus.COMPLETED));

        for (int pageSize : new int[] {1, 2, 3, 7, 100}) {
            assertEquals(ids, expiredOfThisTest(NOW, pageSize), "pages of " + pageSize);
        }
    }

    @Test
    @DisplayName("leases: compares ids byte-wise when paging (B, _, a, b ascending)")
    void pagesByteWise() {
        List<String> ordered = List.of(id("x-B"), id("x-_"), id("x-a"), id("x-b"));
        List<String> written = List.of(id("x-a"), id("x-b"), id("x-_"), id("x-B"));
        for (int i = 0; i < written.size(); i++) {
            created(record("i-" + i, "leased").id(written.get(i)).status(BackupStatus.DELETING)
                    .lease(new Lease("dead-replica", NOW)));
        }

        for (int pageSize : new int[] {1, 2, 4}) {
            assertEquals(ordered, expiredOfThisTest(NOW, pageSize), "pages of " + pageSize);
        }
    }

    @Test
    @DisplayName("leases: renews only the owner's leases, in one call, and each renewal moves the version")
    void renewsTheOwnersLeases() {
        BackupRecord mine = created(record("i-1", "mine").status(BackupStatus.BUILDING)
                .lease(new Lease("replica-a", NOW.minusSeconds(1))));
        BackupRecord mineToo = created(record("i-4", "mine-too").status(BackupStatus.FAILED).endTime(T0)
                .lock(new BackupLock("i-4", "session-1")).lease(new Lease("replica-a", NOW.plusSeconds(5))));
        BackupRecord theirs = created(record("i-2", "theirs").status(BackupStatus.BUILDING)
                .lease(new Lease("replica-b", NOW.minusSeconds(1))));
        BackupRecord none = created(record("i-3", "none").status(BackupStatus.COMPLETED).endTime(T0));
        Instant later = NOW.plus(Duration.ofMinutes(1)).plusNanos(123_000);

        int renewed = store().renewLeases("replica-a",
                List.of(mine.id(), theirs.id(), none.id(), mineToo.id(), id("no-such-id")), later);

        assertEquals(2, renewed);
        for (BackupRecord before : List.of(mine, mineToo)) {
            BackupRecord after = store().find(before.id()).orElseThrow();
            assertSameRecord(before.toBuilder().lease(new Lease("replica-a", later)).build()
                    .withVersion(before.version() + 1), after, "renewLeases");
            assertEquals(Optional.empty(), store().compareAndSet(before.toBuilder().lease(null).build(),
                    before.version()), "a compare-and-set based on the read before the renewal must fail");
        }
        assertEquals(Optional.of(theirs), store().find(theirs.id()));
        assertEquals(Optional.of(none), store().find(none.id()));
        assertEquals(List.of(theirs.id()), expiredOfThisTest(NOW, 10));
    }

    @Test
    @DisplayName("leases: a renewal with an expiry in the past hands the work over at once")
    void renewalInThePastHandsOver() {
        BackupRecord mine = created(record("i-1", "mine").status(BackupStatus.DELETING)
                .lease(new Lease("replica-a", NOW.plusSeconds(60))));

        assertEquals(1, store().renewLeases("replica-a", List.of(mine.id()), NOW.minusSeconds(1)));

        assertEquals(List.of(mine.id()), expiredOfThisTest(NOW, 10));
    }
}
