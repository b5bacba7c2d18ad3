package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.api.spi.CreateResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store's atomic operations under real concurrent callers: {@value #THREADS} callers released together
 * from a spinning start line, round after round until {@value #CONTENDED_ROUNDS} rounds had store calls
 * running at the same moment (measured, so that a busy machine runs more rounds rather than judging on
 * fewer), at most {@value #MAX_ROUNDS}. The create races first write {@value #BACKGROUND_RECORDS} records of
 * their own. One round in which two callers both pass a check fails the test, so a store that checks and
 * then inserts with nothing in between is caught.
 */
abstract class StoreConcurrencyChecks extends StoreRecordChecks {

    /** Stores that already hold background records (identity), so a store shared by the tests fills once. */
    private static final Set<BackupStore> FILLED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * Fills the store with {@value #BACKGROUND_RECORDS} records on other instances, as a store in use
     * holds: a store that checks by reading more than the one row it needs takes longer to check, and a
     * check that takes longer is raced more easily. A store object shared by the tests is filled once.
     */
    private void background() {
        if (!FILLED.add(store())) {
            return;
        }
        for (int i = 0; i < BACKGROUND_RECORDS; i++) {
            created(record("background-" + (i % 20), "background-" + i).clientToken("background-" + i));
        }
    }

    /** The records each caller will try to create, made before the race (ids come from one counter). */
    private Race<CreateResult> raceCreates(IntFunction<BackupRecord> make) throws Exception {
        List<BackupRecord> attempts = new ArrayList<>();
        for (int caller = 0; caller < THREADS; caller++) {
            attempts.add(make.apply(caller));
        }
        return race(callers(), caller -> store().create(attempts.get(caller)));
    }

    @Test
    @DisplayName("concurrency: lets exactly one of the BUILDING records of an instance in")
    @Timeout(value = 4 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void oneBuildingPerInstance() throws Exception {
        background();
        contendedRounds(round -> {
            String instance = "race-" + round;
            Race<CreateResult> race = raceCreates(caller ->
                    record(instance, "backup-" + caller).status(BackupStatus.BUILDING).build());
            List<CreateResult> results = race.results();

            assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
            assertEquals(THREADS - 1, count(results, CreateResult.InstanceBusy.class), "round " + round);
            assertEquals(1, store().query(instanceQuery(instance).build()).totalCount(), "round " + round);
            return race.overlapped();
        });
    }

    @Test
    @DisplayName("concurrency: lets exactly one of the records with the same name in")
    @Timeout(value = 4 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void oneRecordPerName() throws Exception {
        background();
        contendedRounds(round -> {
            String instance = "race-" + round;
            Race<CreateResult> race = raceCreates(caller -> record(instance, "same-name").build());
            List<CreateResult> results = race.results();

            assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
            assertEquals(THREADS - 1, count(results, CreateResult.NameTaken.class), "round " + round);
            assertEquals(1, store().query(instanceQuery(instance).build()).totalCount(), "round " + round);
            return race.overlapped();
        });
    }

    @Test
    @DisplayName("concurrency: lets exactly one of the records with the same client token in")
    @Timeout(value = 4 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void oneRecordPerClientToken() throws Exception {
        background();
        contendedRounds(round -> {
            String token = "token-" + round;
            String instances = "race-" + round + "-";
            Race<CreateResult> race = raceCreates(caller ->
                    record(instances + caller, "backup-" + caller).clientToken(token).build());
            List<CreateResult> results = race.results();

            assertEquals(1, count(results, CreateResult.Created.class), "round " + round + ": " + results);
            assertEquals(THREADS - 1, count(results, CreateResult.ClientTokenTaken.class), "round " + round);
            return race.overlapped();
        });
    }

    @Test
    @DisplayName("concurrency: lets exactly one of many writers at the same version win a compare-and-set")
    @Timeout(value = 4 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void oneCompareAndSetWins() throws Exception {
        contendedRounds(round -> {
            BackupRecord stored = created(record("cas-" + round, "contended"));

            Race<Optional<BackupRecord>> race = race(callers(), caller -> store().compareAndSet(
                    stored.toBuilder().sizeBytes(caller + 1).build(), stored.version()));
            List<Optional<BackupRecord>> results = race.results();

            List<BackupRecord> winners = results.stream().flatMap(Optional::stream).toList();
            assertEquals(1, winners.size(), "round " + round);
            assertEquals(Optional.of(winners.get(0)), store().find(stored.id()), "round " + round);
            return race.overlapped();
        });
    }

    @Test
    @DisplayName("concurrency: lets exactly one of many callers at the same version delete a record")
    @Timeout(value = 4 * TIMEOUT_SECONDS, unit = TimeUnit.SECONDS)
    void oneDeleteWins() throws Exception {
        contendedRounds(round -> {
            BackupRecord stored = created(record("del-" + round, "contended"));

            Race<Boolean> race = race(callers(), caller -> store().delete(stored.id(), stored.version()));
            List<Boolean> results = race.results();

            assertEquals(1, results.stream().filter(Boolean::booleanValue).count(), "round " + round);
            assertEquals(Optional.empty(), store().find(stored.id()), "round " + round);
            return race.overlapped();
        });
    }
}
