package dev.rdsbackup.testkit.contract;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs a contract kit through the JUnit Platform Launcher and tells which of its test methods failed. */
final class KitRunner {

    /** Every test of a kit. */
    static final Predicate<String> ALL = name -> true;

    private KitRunner() {
    }

    /**
     * What a kit run did.
     *
     * @param failed failed test method names, each with its failure message
     * @param succeeded how many tests passed
     */
    record Outcome(Map<String, String> failed, int succeeded) {
        Set<String> failedTests() {
            return new TreeSet<>(failed.keySet());
        }

        @Override
        public String toString() {
            return succeeded + " passed, failed: " + failed;
        }
    }

    /**
     * Runs the kit's tests whose method name {@code include} accepts.
     *
     * @param kit a concrete subclass of a contract
     * @param include which test methods to run
     * @return the outcome
     */
    static Outcome run(Class<?> kit, Predicate<String> include) {
        Map<String, String> failed = new LinkedHashMap<>();
        int[] succeeded = {0};
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        failed.put(id.getDisplayName(), String.valueOf(result.getThrowable().orElse(null)));
                    }
                    return;
                }
                if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                    succeeded[0]++;
                } else {
                    failed.put(methodName(id), result.getThrowable().map(String::valueOf).orElse("?"));
                }
            }
        };
        PostDiscoveryFilter filter = descriptor -> descriptor.getSource()
                .filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(source -> FilterResult.includedIf(include.test(source.getMethodName())))
                .orElse(FilterResult.included("not a test method"));
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(kit))
                .filters(EngineFilter.includeEngines("junit-jupiter"), filter)
                .build(), listener);
        return new Outcome(failed, succeeded[0]);
    }

    private static String methodName(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(MethodSource::getMethodName).orElse(id.getDisplayName());
    }
}
