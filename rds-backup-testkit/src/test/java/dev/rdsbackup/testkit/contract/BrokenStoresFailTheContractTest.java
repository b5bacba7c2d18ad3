package dev.rdsbackup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Proves that the store contract catches real bugs: each broken store fails in the group that covers it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BrokenStoresFailTheContractTest {

    /** A failed test of a contract run: the nested group it belongs to and its display name. */
    private record Failure(String group, String test) {
    }

    private static final class Outcome implements TestExecutionListener {
        final List<Failure> failures = new ArrayList<>();
        int succeeded;

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) {
                return;
            }
            if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                succeeded++;
            } else {
                UniqueId uniqueId = UniqueId.parse(id.getUniqueId());
                String group = uniqueId.getSegments().stream()
                        .filter(s -> s.getType().equals("nested-class")).map(UniqueId.Segment::getValue)
                        .findFirst().orElse("");
                failures.add(new Failure(group, id.getDisplayName()));
            }
        }
    }

    private static Outcome runContract(Class<?> kit) {
        Launcher launcher = LauncherFactory.create();
        Outcome outcome = new Outcome();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(kit))
                .filters(EngineFilter.includeEngines("junit-jupiter"))
                .build(), outcome);
        return outcome;
    }

    private static List<String> groups(Outcome outcome) {
        return outcome.failures.stream().map(Failure::group).distinct().toList();
    }

    @Test
    @DisplayName("a store whose create is not atomic fails the concurrent-create tests")
    void nonAtomicCreateFails() {
        Outcome outcome = runContract(BrokenStores.NonAtomicCreateKit.class);

        assertThat(outcome.failures).isNotEmpty();
        assertThat(groups(outcome)).contains("ConcurrentCreate");
        assertThat(outcome.succeeded).as("the rest of the contract still runs").isPositive();
    }

    @Test
    @DisplayName("a store whose compare-and-set ignores the version fails the compare-and-set tests")
    void versionBlindCompareAndSetFails() {
        Outcome outcome = runContract(BrokenStores.VersionBlindKit.class);

        assertThat(outcome.failures).contains(new Failure("CompareAndSet", "refuses a stale version and keeps the stored record"));
        assertThat(groups(outcome)).contains("CompareAndSet").isSubsetOf("CompareAndSet", "ConcurrentCreate");
    }

    @Test
    @DisplayName("a store whose paging skips a record fails the listing tests")
    void skippingPagesFails() {
        Outcome outcome = runContract(BrokenStores.SkippingPagesKit.class);

        assertThat(outcome.failures)
                .contains(new Failure("Query", "returns every matching record exactly once when walking page by page"));
        assertThat(groups(outcome)).containsOnly("Query");
    }

    @Test
    @DisplayName("the correct in-memory store passes the same contract run the same way")
    void correctStorePasses() {
        Outcome outcome = runContract(InMemoryBackupStoreContractTest.class);

        assertThat(outcome.failures).isEmpty();
        assertThat(outcome.succeeded).isGreaterThan(30);
    }
}
