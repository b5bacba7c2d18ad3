package dev.rdsbackup.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.testkit.FakeStorage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that the probe and engine contracts catch real bugs: each adapter of {@link BrokenProbes} and
 * {@link BrokenEngines} fails the tests named for it, while the correct ones pass.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BrokenProbesAndEnginesFailTheirContractsTest {

    /** The probe contract bound to whatever probe {@link #factory} makes, observing its locks. */
    static final class ProbeKit extends InstanceProbeContract {
        static volatile Supplier<? extends BrokenProbes.Probe> factory;
        private BrokenProbes.Probe probe;

        @Override
        protected InstanceProbe createProbe() {
            probe = factory.get();
            return probe;
        }

        @Override
        protected String projectId() {
            return "p-1";
        }

        @Override
        protected String verifiableInstanceId() {
            return "i-1";
        }

        @Override
        protected String otherProjectId() {
            return "p-2";
        }

        @Override
        protected Duration answerTimeout() {
            return Duration.ofMillis(500);
        }

        @Override
        protected Optional<Boolean> lockHeld(BackupLock lock) {
            return Optional.of(probe.scripted.isHeld(lock));
        }
    }

    /** The engine contract bound to whatever engine {@link #factory} makes, all on one storage per test. */
    static final class EngineKit extends BackupEngineContract {
        static volatile Function<FakeStorage, ? extends BackupEngine> factory;
        private final FakeStorage storage = new FakeStorage();

        @Override
        protected BackupEngine createEngine() {
            return factory.apply(storage);
        }

        @Override
        protected Optional<Boolean> artifactExists(String backupId) {
            return Optional.of(storage.hasArtifact(backupId));
        }

        @Override
        protected Duration copyTimeout() {
            return Duration.ofSeconds(5);
        }
    }

    static KitRunner.Outcome runProbeKit(Supplier<? extends BrokenProbes.Probe> factory) {
        ProbeKit.factory = factory;
        try {
            return KitRunner.run(ProbeKit.class, KitRunner.ALL);
        } finally {
            ProbeKit.factory = null;
        }
    }

    static KitRunner.Outcome runEngineKit(Function<FakeStorage, ? extends BackupEngine> factory) {
        EngineKit.factory = factory;
        try {
            return KitRunner.run(EngineKit.class, KitRunner.ALL);
        } finally {
            EngineKit.factory = null;
        }
    }

    @TestFactory
    @DisplayName("every broken probe fails the contract tests that cover its bug")
    Stream<DynamicTest> everyBrokenProbeIsCaught() {
        return BrokenProbes.catalogue().values().stream().map(broken -> DynamicTest.dynamicTest(
                "a probe that " + broken.name() + " fails " + broken.caughtBy(), () -> {
                    KitRunner.Outcome outcome = runProbeKit(broken.factory());

                    assertThat(broken.caughtIn(outcome.failedTests())).as(outcome.toString()).isTrue();
                }));
    }

    @TestFactory
    @DisplayName("every broken engine fails the contract tests that cover its bug")
    Stream<DynamicTest> everyBrokenEngineIsCaught() {
        return BrokenEngines.catalogue().values().stream().map(broken -> DynamicTest.dynamicTest(
                "an engine that " + broken.name() + " fails " + broken.caughtBy(), () -> {
                    KitRunner.Outcome outcome = runEngineKit(broken.factory().get());

                    assertThat(broken.caughtIn(outcome.failedTests())).as(outcome.toString()).isTrue();
                }));
    }

    @Test
    @DisplayName("the scripted probe, unbroken, passes the probe contract with the lock hook")
    void scriptedProbePasses() {
        KitRunner.Outcome outcome = runProbeKit(BrokenProbes.Probe::new);

        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.succeeded()).isGreaterThanOrEqualTo(11);
    }

    @Test
    @DisplayName("the fake engine, unbroken, passes the engine contract with the storage hook, across instances")
    void fakeEnginePasses() {
        KitRunner.Outcome outcome = runEngineKit(BrokenEngines.Engine::new);

        assertThat(outcome.failed()).isEmpty();
        assertThat(outcome.succeeded()).isGreaterThanOrEqualTo(10);
    }

    @Test
    @DisplayName("the probe and engine catalogues hold at least 20 broken adapters together")
    void cataloguesAreLarge() {
        assertThat(BrokenProbes.catalogue().size() + BrokenEngines.catalogue().size()).isGreaterThanOrEqualTo(20);
    }
}
