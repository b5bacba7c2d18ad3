package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store's single-caller operations on records: create, read back, compare-and-set and delete. */
abstract class StoreRecordChecks extends StoreContractSupport {

    // ---------------------------------------------------------------- create

    @Test
    @DisplayName("create: stores the record with version 0 and finds it by id")
    void storesWithVersionZero() {
        BackupRecord stored = created(record("i-1", "first").version(7));

        assertEquals(0, stored.version());
        assertEquals(Optional.of(stored), store().find(stored.id()));
    }

    @Test
    @DisplayName("create: finds nothing for an id it never stored")
    void findsNothingForUnknownId() {
        assertEquals(Optional.empty(), store().find(newId()));
    }

    @Test
    @DisplayName("create: refuses a second record with the same client token in the project")
    void refusesReusedClientToken() {
        BackupRecord first = created(record("i-1", "first").clientToken("token-1"));

        CreateResult result = store().create(record("i-2", "second").clientToken("token-1").build());

        assertEquals(first.id(), assertInstanceOf(CreateResult.ClientTokenTaken.class, result).existing().id());
        assertEquals(Optional.of(first), store().findByClientToken(first.projectId(), "token-1"));
    }

    @Test
    @DisplayName("create: refuses a second record with the same name on the instance, whatever its status")
    void refusesSameName() {
        BackupRecord first = created(record("i-1", "nightly").status(BackupStatus.FAILED));

        CreateResult result = store().create(record("i-1", "nightly").status(BackupStatus.COMPLETED).build());

        assertEquals(first.id(), assertInstanceOf(CreateResult.NameTaken.class, result).existing().id());
    }

    @Test
    @DisplayName("create: treats names and client tokens case-sensitively (Daily and daily differ)")
    void namesAreCaseSensitive() {
        created(record("i-1", "Daily").clientToken("Token-1"));

        assertInstanceOf(CreateResult.Created.class,
                store().create(record("i-1", "daily").clientToken("token-1").build()));
    }

    @Test
    @DisplayName("create: allows the same name on another instance")
    void sameNameOnAnotherInstance() {
        created(record("i-1", "nightly"));

        assertInstanceOf(CreateResult.Created.class, store().create(record("i-2", "nightly").build()));
    }

    @Test
    @DisplayName("create: refuses a second BUILDING record on the instance and names the active one")
    void refusesSecondBuilding() {
        BackupRecord active = created(record("i-1", "first").status(BackupStatus.BUILDING));

        CreateResult result = store().create(record("i-1", "second").status(BackupStatus.BUILDING).build());

        assertEquals(active.id(), assertInstanceOf(CreateResult.InstanceBusy.class, result).active().id());
    }

    @Test
    @DisplayName("create: lets a BUILDING record in beside a DELETING, DELETE_FAILED or ended one")
    void onlyBuildingBlocks() {
        for (BackupStatus status : List.of(BackupStatus.DELETING, BackupStatus.DELETE_FAILED,
                BackupStatus.COMPLETED, BackupStatus.FAILED, BackupStatus.CANCELLED)) {
            String instance = "i-" + status;
            created(record(instance, "old").status(status));

            assertInstanceOf(CreateResult.Created.class,
                    store().create(record(instance, "new").status(BackupStatus.BUILDING).build()),
                    "a " + status + " backup must not block a new one");
        }
    }

    @Test
    @DisplayName("create: allows a BUILDING record on another instance while one instance is busy")
    void buildingOnAnotherInstance() {
        created(record("i-1", "first").status(BackupStatus.BUILDING));

        assertInstanceOf(CreateResult.Created.class,
                store().create(record("i-2", "second").status(BackupStatus.BUILDING).build()));
    }

    @Test
    @DisplayName("create: allows a record that is not BUILDING while another is BUILDING")
    void finishedRecordBesideBuilding() {
        created(record("i-1", "first").status(BackupStatus.BUILDING));

        assertInstanceOf(CreateResult.Created.class,
                store().create(record("i-1", "imported").status(BackupStatus.COMPLETED).build()));
    }

    @Test
    @DisplayName("create: checks the client token first, then the name, then the active backup")
    void checksInOrder() {
        created(record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-1"));

        assertInstanceOf(CreateResult.ClientTokenTaken.class, store().create(
                record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-1").build()));
        assertInstanceOf(CreateResult.NameTaken.class, store().create(
                record("i-1", "taken").status(BackupStatus.BUILDING).clientToken("token-2").build()));
        assertInstanceOf(CreateResult.InstanceBusy.class, store().create(
                record("i-1", "free").status(BackupStatus.BUILDING).clientToken("token-3").build()));
    }

    @Test
    @DisplayName("create: stores nothing when it refuses a record")
    void refusalStoresNothing() {
        created(record("i-1", "taken"));
        BackupRecord refused = record("i-1", "taken").clientToken("token-9").build();

        store().create(refused);

        assertEquals(Optional.empty(), store().find(refused.id()));
        assertEquals(Optional.empty(), store().findByClientToken(refused.projectId(), "token-9"));
    }

    @Test
    @DisplayName("create: throws for an id already stored, in any project, and keeps the stored record")
    void refusesStoredId() {
        BackupRecord stored = created(record("i-1", "first"));

        assertThrows(RuntimeException.class, () -> store().create(
                record("i-2", "other").id(stored.id()).build()), "same project");
        assertThrows(RuntimeException.class, () -> store().create(
                record("i-2", "other").id(stored.id()).projectId(project("p2")).build()), "another project");
        assertEquals(Optional.of(stored), store().find(stored.id()));
    }

    // ---------------------------------------------------------------- fields

    @Test
    @DisplayName("fields: every field survives create, find, findByClientToken and query unchanged")
    void everyFieldSurvivesCreate() {
        BackupRecord written = fullRecord("i-1", "full").build();

        BackupRecord stored = assertInstanceOf(CreateResult.Created.class, store().create(written)).record();

        BackupRecord expected = written.withVersion(0);
        assertSameRecord(expected, stored, "create");
        assertSameRecord(expected, store().find(written.id()).orElseThrow(), "find");
        assertSameRecord(expected, store().findByClientToken(written.projectId(), written.clientToken())
                .orElseThrow(), "findByClientToken");
        List<BackupRecord> listed = store().query(instanceQuery("i-1").build()).items();
        assertEquals(1, listed.size(), "query");
        assertSameRecord(expected, listed.get(0), "query");
    }

    @Test
    @DisplayName("fields: every field survives compare-and-set, including a new lease, lock and failure, and clearing them")
    void everyFieldSurvivesCompareAndSet() {
        BackupRecord v0 = created(fullRecord("i-1", "full"));
        BackupRecord next = v0.toBuilder()
                .lock(new BackupLock("i-1", "session-4712"))
                .failure(new BackupFailure(ErrorCode.VERIFICATION_DDL_RUNNING, "ALTER TABLE orders"))
                .lease(new Lease("replica-b", v0.lease().expiresAt().plus(Duration.ofMinutes(1))
                        .plus(1, ChronoUnit.MICROS)))
                .progress(new BackupProgress(38, 1_900_000_000L, 5_000_000_123L,
                        v0.progress().estimatedCompletion().plus(7, ChronoUnit.MICROS)))
                .attempts(4)
                .sizeBytes(5_000_000_124L)
                .endTime(v0.endTime().plus(3, ChronoUnit.MICROS))
                .build();

        BackupRecord v1 = store().compareAndSet(next, 0).orElseThrow();
        assertSameRecord(next.withVersion(1), v1, "compare-and-set");
        assertSameRecord(next.withVersion(1), store().find(v0.id()).orElseThrow(), "find after compare-and-set");

        BackupRecord cleared = v1.toBuilder().status(BackupStatus.COMPLETED).lock(null).failure(null)
                .lease(null).progress(null).build();
        BackupRecord v2 = store().compareAndSet(cleared, 1).orElseThrow();
        assertSameRecord(cleared.withVersion(2), v2, "compare-and-set clearing lock, failure, lease and progress");
        assertSameRecord(cleared.withVersion(2), store().find(v0.id()).orElseThrow(), "find after clearing");
        assertSameRecord(cleared.withVersion(2), store().query(instanceQuery("i-1").build()).items().get(0),
                "query after clearing");
    }

    @Test
    @DisplayName("fields: keeps instants to the microsecond, begin and end times as well as leases")
    void keepsMicroseconds() {
        BackupRecord.Builder b = record("i-1", "precise").status(BackupStatus.DELETING)
                .beginTime(T0.plus(1, ChronoUnit.MICROS))
                .endTime(T0.plus(Duration.ofSeconds(1)).plus(999_999, ChronoUnit.MICROS))
                .lease(new Lease("replica-a", T0.plus(999_001, ChronoUnit.MICROS)));
        BackupRecord stored = created(b);

        BackupRecord read = store().find(stored.id()).orElseThrow();
        assertEquals(T0.plus(1, ChronoUnit.MICROS), read.beginTime(), "begin time");
        assertEquals(T0.plus(Duration.ofSeconds(1)).plus(999_999, ChronoUnit.MICROS), read.endTime(), "end time");
        assertEquals(T0.plus(999_001, ChronoUnit.MICROS), read.lease().expiresAt(), "lease expiry");
    }

    // ---------------------------------------------------------------- ids

    @Test
    @DisplayName("ids: compares ids exactly, case-sensitively (b and B are two records)")
    void idsAreCaseSensitive() {
        BackupRecord lower = created(record("i-1", "lower").id(id("case-b")));
        BackupRecord upper = created(record("i-2", "upper").id(id("case-B")));

        assertEquals(Optional.of(lower), store().find(id("case-b")));
        assertEquals(Optional.of(upper), store().find(id("case-B")));
        assertEquals(Optional.empty(), store().find(id("CASE-b")));
        assertTrue(store().delete(upper.id(), 0));
        assertEquals(Optional.of(lower), store().find(lower.id()));
    }

    @Test
    @DisplayName("ids: treats _ and % in ids as plain characters, not as patterns")
    void idsAreNotPatterns() {
        BackupRecord plain = created(record("i-1", "plain").id(id("axb")));

        assertEquals(Optional.empty(), store().find(id("a_b")));
        assertEquals(Optional.empty(), store().find(id("a%")));
        assertEquals(Optional.empty(), store().find(id("%")));
        BackupRecord underscore = created(record("i-2", "underscore").id(id("a_b")));
        BackupRecord percent = created(record("i-3", "percent").id(id("a%b")));
        assertEquals(Optional.of(underscore), store().find(id("a_b")));
        assertEquals(Optional.of(percent), store().find(id("a%b")));
        assertEquals(Optional.of(plain), store().find(id("axb")));
    }

    // ---------------------------------------------------------------- compare-and-set

    @Test
    @DisplayName("compare-and-set: replaces the record at the expected version and stores the next version")
    void replacesAtExpectedVersion() {
        BackupRecord stored = created(record("i-1", "first").status(BackupStatus.BUILDING));
        BackupRecord next = stored.toBuilder().status(BackupStatus.COMPLETED).sizeBytes(42).build();

        Optional<BackupRecord> written = store().compareAndSet(next, 0);

        assertTrue(written.isPresent());
        assertEquals(1, written.get().version());
        assertEquals(BackupStatus.COMPLETED, written.get().status());
        assertEquals(written, store().find(stored.id()));
    }

    @Test
    @DisplayName("compare-and-set: ignores the version carried by the new content")
    void ignoresVersionOfNext() {
        BackupRecord stored = created(record("i-1", "first"));

        Optional<BackupRecord> written = store().compareAndSet(stored.toBuilder().version(41).build(), 0);

        assertEquals(1, written.orElseThrow().version());
    }

    @Test
    @DisplayName("compare-and-set: refuses a stale version and keeps the stored record")
    void refusesStaleVersion() {
        BackupRecord stored = created(record("i-1", "first"));
        BackupRecord v1 = store().compareAndSet(stored.toBuilder().sizeBytes(1).build(), 0).orElseThrow();

        Optional<BackupRecord> stale = store().compareAndSet(stored.toBuilder().sizeBytes(2).build(), 0);

        assertEquals(Optional.empty(), stale);
        assertEquals(Optional.of(v1), store().find(stored.id()));
    }

    @Test
    @DisplayName("compare-and-set: refuses a version from the future")
    void refusesFutureVersion() {
        BackupRecord stored = created(record("i-1", "first"));

        assertEquals(Optional.empty(), store().compareAndSet(stored.toBuilder().sizeBytes(2).build(), 5));
        assertEquals(Optional.of(stored), store().find(stored.id()));
    }

    @Test
    @DisplayName("compare-and-set: refuses a record that is not stored")
    void refusesMissingRecord() {
        BackupRecord never = record("i-1", "ghost").build();

        assertEquals(Optional.empty(), store().compareAndSet(never, 0));
        assertEquals(Optional.empty(), store().find(never.id()));
    }

    @Test
    @DisplayName("compare-and-set: frees the instance for another backup once its BUILDING record has moved on")
    void leavingBuildingFreesInstance() {
        BackupRecord building = created(record("i-1", "first").status(BackupStatus.BUILDING));
        store().compareAndSet(building.toBuilder().status(BackupStatus.DELETING).build(), 0).orElseThrow();

        assertInstanceOf(CreateResult.Created.class,
                store().create(record("i-1", "second").status(BackupStatus.BUILDING).build()));
    }

    @Test
    @DisplayName("compare-and-set: makes the instance busy when a record becomes BUILDING again")
    void enteringBuildingMakesBusy() {
        BackupRecord ended = created(record("i-1", "first").status(BackupStatus.FAILED));
        BackupRecord building = store().compareAndSet(ended.toBuilder().status(BackupStatus.BUILDING).build(), 0)
                .orElseThrow();

        CreateResult result = store().create(record("i-1", "second").status(BackupStatus.BUILDING).build());
        assertEquals(building.id(), assertInstanceOf(CreateResult.InstanceBusy.class, result).active().id());
    }

    @Test
    @DisplayName("compare-and-set: keeps the name taken after a write")
    void nameStaysTaken() {
        BackupRecord stored = created(record("i-1", "nightly"));
        store().compareAndSet(stored.toBuilder().status(BackupStatus.FAILED).build(), 0).orElseThrow();

        assertInstanceOf(CreateResult.NameTaken.class, store().create(record("i-1", "nightly").build()));
    }

    // ---------------------------------------------------------------- delete

    @Test
    @DisplayName("delete: removes the record at the expected version")
    void removesAtExpectedVersion() {
        BackupRecord stored = created(record("i-1", "first"));

        assertTrue(store().delete(stored.id(), 0));
        assertEquals(Optional.empty(), store().find(stored.id()));
    }

    @Test
    @DisplayName("delete: keeps the record when the version is stale")
    void keepsAtStaleVersion() {
        BackupRecord stored = created(record("i-1", "first"));
        BackupRecord v1 = store().compareAndSet(stored.toBuilder().sizeBytes(1).build(), 0).orElseThrow();

        assertFalse(store().delete(stored.id(), 0));
        assertEquals(Optional.of(v1), store().find(stored.id()));
    }

    @Test
    @DisplayName("delete: answers false for a record that is gone")
    void falseWhenGone() {
        BackupRecord stored = created(record("i-1", "first"));
        assertTrue(store().delete(stored.id(), 0));

        assertFalse(store().delete(stored.id(), 0));
    }

    @Test
    @DisplayName("delete: frees the name and the client token, and drops the record from listings")
    void freesNameAndToken() {
        BackupRecord stored = created(record("i-1", "nightly").clientToken("token-1"));
        assertTrue(store().delete(stored.id(), 0));

        assertEquals(Optional.empty(), store().findByClientToken(stored.projectId(), "token-1"));
        assertEquals(0, store().query(instanceQuery("i-1").build()).totalCount());
        assertInstanceOf(CreateResult.Created.class,
                store().create(record("i-1", "nightly").clientToken("token-1").build()));
    }
}
