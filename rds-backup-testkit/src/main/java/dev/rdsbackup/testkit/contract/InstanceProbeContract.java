package dev.rdsbackup.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.Verification;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link InstanceProbe}: the shape of what {@code describe} and {@code verify} answer,
 * and that releasing a backup lock is safe. A host extends it in its test sources:
 *
 * <pre>{@code
 * class AgentInstanceProbeContractTest extends InstanceProbeContract {
 *     protected InstanceProbe createProbe() { return new AgentInstanceProbe(testAgents); }
 *     protected String projectId() { return "contract-project"; }
 *     protected String verifiableInstanceId() { return testDatabase.instanceId(); }
 * }
 * }</pre>
 *
 * <p>Hooks: {@link #createProbe()}, {@link #projectId()} and {@link #verifiableInstanceId()} (an existing,
 * running primary with no DDL running, so that {@code verify} obtains the backup lock), all required;
 * {@link #missingInstanceId()} and {@link #answerTimeout()} have defaults.
 */
@DisplayName("An instance probe")
public abstract class InstanceProbeContract {

    private InstanceProbe probe;

    /**
     * Makes the probe under test; called before every test.
     *
     * @return the probe
     */
    protected abstract InstanceProbe createProbe();

    /** The project of {@link #verifiableInstanceId()}. */
    protected abstract String projectId();

    /**
     * An instance of {@link #projectId()} that exists, runs as a primary and can be verified: nothing
     * holds its backup lock and no DDL runs on it during the tests.
     *
     * @return the instance id
     */
    protected abstract String verifiableInstanceId();

    /** An instance id that does not exist in {@link #projectId()}. */
    protected String missingInstanceId() {
        return "contract-no-such-instance";
    }

    /** How long {@code verify} may take to answer; 30 seconds unless overridden. */
    protected Duration answerTimeout() {
        return Duration.ofSeconds(30);
    }

    @BeforeEach
    final void setUpProbe() {
        probe = createProbe();
    }

    /** The probe under test. */
    protected final InstanceProbe probe() {
        return probe;
    }

    private Verification await(java.util.concurrent.CompletionStage<Verification> stage) {
        try {
            return stage.toCompletableFuture().get(answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("verify did not answer within " + answerTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (ExecutionException e) {
            return null;
        }
    }

    private BackupLock verifiedLock() {
        Verification answer = await(probe.verify(projectId(), verifiableInstanceId()));
        return assertInstanceOf(Verification.Verified.class, answer,
                "the verifiable instance should be verified").lock();
    }

    /** {@link InstanceProbe#describe}. */
    @Nested
    @DisplayName("when describing an instance")
    class Describe {

        @Test
        @DisplayName("answers the project and instance asked for")
        void describesExistingInstance() {
            InstanceInfo info = probe.describe(projectId(), verifiableInstanceId()).orElseThrow(
                    () -> new AssertionError("the verifiable instance should exist"));

            assertEquals(projectId(), info.projectId());
            assertEquals(verifiableInstanceId(), info.instanceId());
            assertTrue(info.tableCount() >= 0 && info.dataSizeBytes() >= 0);
        }

        @Test
        @DisplayName("answers empty for an instance that does not exist")
        void emptyForMissingInstance() {
            assertEquals(Optional.empty(), probe.describe(projectId(), missingInstanceId()));
        }
    }

    /** {@link InstanceProbe#verify}. */
    @Nested
    @DisplayName("when verifying an instance")
    class Verify {

        @Test
        @DisplayName("answers verified with a lock on that instance and a table count")
        void verifiesAndLocks() {
            Verification answer = await(probe.verify(projectId(), verifiableInstanceId()));

            Verification.Verified verified = assertInstanceOf(Verification.Verified.class, answer);
            assertEquals(verifiableInstanceId(), verified.lock().instanceId());
            assertTrue(verified.isVerified());
            assertEquals(null, verified.failureCode());
            probe.releaseLock(verified.lock());
        }

        @Test
        @DisplayName("answers a failure, or completes exceptionally, for an instance that does not exist")
        void missingInstanceIsNotVerified() {
            Verification answer = await(probe.verify(projectId(), missingInstanceId()));

            if (answer != null) {
                assertFalse(answer.isVerified(), "a missing instance must not be verified");
                assertNotNull(answer.failureCode(), "a failed verification names its reason");
            }
        }

        @Test
        @DisplayName("can verify the instance again once its lock is released")
        void lockIsNotLeaked() {
            probe.releaseLock(verifiedLock());

            probe.releaseLock(verifiedLock());
        }
    }

    /** {@link InstanceProbe#releaseLock}. */
    @Nested
    @DisplayName("when releasing a backup lock")
    class ReleaseLock {

        @Test
        @DisplayName("releases a lock it handed out")
        void releasesLock() {
            BackupLock lock = verifiedLock();

            assertDoesNotThrow(() -> probe.releaseLock(lock));
        }

        @Test
        @DisplayName("tolerates a lock that is already gone")
        void toleratesLockAlreadyGone() {
            BackupLock lock = verifiedLock();
            probe.releaseLock(lock);

            assertDoesNotThrow(() -> probe.releaseLock(lock));
        }

        @Test
        @DisplayName("tolerates a lock it never handed out")
        void toleratesUnknownLock() {
            assertDoesNotThrow(() -> probe.releaseLock(
                    new BackupLock(verifiableInstanceId(), "contract-unknown-lock-token")));
        }
    }
}
