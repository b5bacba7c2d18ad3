package dev.rdsbackup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Proves that the store contract catches real bugs: each store of {@link BrokenStores} fails the tests named
 * for it, on every run, while the correct stores pass the same contract (the in-memory store's own run is
 * {@link InMemoryBackupStoreContractTest}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokenStoresFailTheContractTest {

    /** The contract's race tests: slow-ish, so only the cases that need them run them. */
    static final Set<String> RACES = Set.of("oneBuildingPerInstance", "oneRecordPerName",
            "oneRecordPerClientToken", "oneCompareAndSetWins", "oneDeleteWins");

    /** The store contract bound to whatever store {@link #factory} makes (set before each launcher run). */
    static final class StoreKit extends BackupStoreContract {
        static volatile Supplier<? extends BackupStore> factory;

        @Override
        protected BackupStore createStore() {
            return factory.get();
        }
    }

    static KitRunner.Outcome runKit(Supplier<? extends BackupStore> factory, Predicate<String> include) {
        StoreKit.factory = factory;
        try {
            return KitRunner.run(StoreKit.class, include);
        } finally {
            StoreKit.factory = null;
        }
    }

    /** The tests a case needs to run: the race tests named for a race, every other test otherwise. */
    private static Predicate<String> testsFor(BrokenCase<?> broken) {
        boolean race = RACES.containsAll(broken.caughtBy());
        return race ? broken.caughtBy()::contains : name -> !RACES.contains(name);
    }

    @TestFactory
    @DisplayName("every broken store fails the contract tests that cover its bug")
    Stream<DynamicTest> everyBrokenStoreIsCaught() {
        return BrokenStores.catalogue().values().stream().map(broken -> DynamicTest.dynamicTest(
                "a store that " + broken.name() + " fails " + broken.caughtBy(), () -> {
                    KitRunner.Outcome outcome = runKit(broken.factory(), testsFor(broken));

                    assertThat(broken.caughtIn(outcome.failedTests())).as(outcome.toString()).isTrue();
                }));
    }

    @Test
    @DisplayName("the catalogue holds at least 44 broken stores")
    void catalogueIsLarge() {
        assertThat(BrokenStores.catalogue()).hasSizeGreaterThanOrEqualTo(44);
    }

    /**
     * The race proof: 20 runs of the three create races against a store that checks and then inserts with
     * nothing in between (the catalogue runs it once per build). It takes one to two minutes on a loaded
     * 2-core machine, so it runs only when asked: {@code -Drdsbackup.kit.raceProof=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "rdsbackup.kit.raceProof", matches = "true")
    @DisplayName("a store that checks then inserts with no delay in between is caught 20 runs out of 20")
    void checkThenInsertIsCaughtEveryTime() {
        Set<String> createRaces = Set.of("oneBuildingPerInstance", "oneRecordPerName", "oneRecordPerClientToken");
        List<String> missed = new ArrayList<>();
        for (int run = 0; run < 20; run++) {
            KitRunner.Outcome outcome = runKit(() -> new BrokenStores.CheckThenInsert(false), createRaces::contains);
            if (createRaces.stream().noneMatch(outcome.failedTests()::contains)) {
                missed.add("run " + run);
            }
        }

        assertThat(missed).as("runs in which no create race caught the store").isEmpty();
    }

    @Test
    @DisplayName("the plain reference store passes the whole contract")
    void referenceStorePasses() {
        KitRunner.Outcome outcome = runKit(ReferenceStore::new, KitRunner.ALL);

        assertThat(outcome.failed()).isEmpty();
    }

    @Test
    @DisplayName("one long-lived store full of other records passes the contract twice in a row")
    void sharedNonEmptyStorePasses() {
        InMemoryBackupStore shared = new InMemoryBackupStore();
        ForeignRecords.fill(shared);

        for (int run = 0; run < 2; run++) {
            KitRunner.Outcome outcome = runKit(() -> shared, name -> !RACES.contains(name));
            assertThat(outcome.failed()).as("run " + run).isEmpty();
        }
        assertThat(shared.size()).isGreaterThan(ForeignRecords.COUNT);
    }

    @Test
    @DisplayName("the contract's tests are reported under the host's class, with group-prefixed sentence names")
    void testsAreFlat() {
        List<Class<?>> nested = List.of(BackupStoreContract.class.getDeclaredClasses());

        assertThat(nested).isEmpty();
    }
}
