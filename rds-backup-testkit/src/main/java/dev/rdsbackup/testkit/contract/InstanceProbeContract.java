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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link InstanceProbe}: what {@code describe} and {@code verify} answer, that both are
 * scoped to the project, that a {@code Verified} answer holds the backup lock and that releasing it
 * releases it and is safe to repeat. A host extends it in its test sources:
 *
 * <pre>{@code
 * class AgentInstanceProbeContractTest extends InstanceProbeContract {
 *     protected InstanceProbe createProbe() { return new AgentInstanceProbe(testAgents); }
 *     protected String projectId() { return "contract-project"; }
 *     protected String verifiableInstanceId() { return testDatabase.instanceId(); }
 *     protected Optional<Boolean> lockHeld(BackupLock lock) {
 *         return Optional.of(testDatabase.sessionHoldsBackupLock(lock.token()));
 *     }
 * }
 * }</pre>
 *
 * <p>Hooks: {@link #createProbe()}, {@link #projectId()} and {@link #verifiableInstanceId()} (an existing,
 * running primary with no DDL running, so that {@code verify} obtains the backup lock) are required;
 * {@link #missingInstanceId()}, {@link #otherProjectId()}, {@link #answerTimeout()} and the lock-observing
 * {@link #lockHeld(BackupLock)} have defaults.
 *
 * <p><b>What it cannot check without {@link #lockHeld}.</b> The probe's answers are all the kit sees, so a
 * probe that answers {@code Verified} without taking the lock, or whose {@code releaseLock} returns without
 * releasing it, passes: override {@code lockHeld} to look at the database (for MySQL 8, whether the
 * session named by the lock still holds {@code LOCK INSTANCE FOR BACKUP}). Even with the hook it cannot
 * check that the lock really keeps DDL out, that the table count is right, or how the probe behaves for
 * replicas, stopped instances and running DDL (set those up and test them in the host's own tests).
 *
 * <p>Tests are flat methods named "group: sentence", so a host's reports list them under its own class.
 */
@DisplayName("An instance probe")
public abstract class InstanceProbeContract {

    private InstanceProbe probe;

    /** For subclasses. */
    protected InstanceProbeContract() {
    }

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

    /**
     * A project that does not own {@link #verifiableInstanceId()}: the probe must neither describe nor
     * verify that instance in it.
     *
     * @return the project id
     */
    protected String otherProjectId() {
        return "contract-other-project";
    }

    /** How long {@code verify} may take to answer; 30 seconds unless overridden. */
    protected Duration answerTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * Whether a backup lock is held on the database now, if the test can see it. Override it so the kit
     * checks that a {@code Verified} answer holds its lock and that {@code releaseLock} releases it (and only
     * it); by default the kit cannot tell and checks only the answers.
     *
     * @param lock a lock the probe handed out
     * @return whether it is held, or empty if the test cannot tell
     */
    protected Optional<Boolean> lockHeld(BackupLock lock) {
        return Optional.empty();
    }

    @BeforeEach
    final void setUpProbe() {
        probe = createProbe();
    }

    /** The probe under test. */
    protected final InstanceProbe probe() {
        return probe;
    }

    private Verification await(CompletionStage<Verification> stage) {
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

    private void assertHeld(BackupLock lock, boolean held, String why) {
        lockHeld(lock).ifPresent(actual -> assertEquals(held, actual, why));
    }

    // ---------------------------------------------------------------- describe

    @Test
    @DisplayName("describe: answers the project and instance asked for")
    void describesExistingInstance() {
        InstanceInfo info = probe.describe(projectId(), verifiableInstanceId()).orElseThrow(
                () -> new AssertionError("the verifiable instance should exist"));

        assertEquals(projectId(), info.projectId());
        assertEquals(verifiableInstanceId(), info.instanceId());
        assertTrue(info.tableCount() >= 0 && info.dataSizeBytes() >= 0);
    }

    @Test
    @DisplayName("describe: answers empty for an instance that does not exist")
    void emptyForMissingInstance() {
        assertEquals(Optional.empty(), probe.describe(projectId(), missingInstanceId()));
    }

    @Test
    @DisplayName("describe: answers empty for the instance asked for in a project that does not own it")
    void describeIsScopedToTheProject() {
        assertEquals(Optional.empty(), probe.describe(otherProjectId(), verifiableInstanceId()));
    }

    // ---------------------------------------------------------------- verify

    @Test
    @DisplayName("verify: answers verified with a lock on that instance and a table count, and the lock is held")
    void verifiesAndLocks() {
        Verification answer = await(probe.verify(projectId(), verifiableInstanceId()));

        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, answer);
        assertEquals(verifiableInstanceId(), verified.lock().instanceId());
        assertTrue(verified.isVerified());
        assertEquals(null, verified.failureCode());
        assertHeld(verified.lock(), true, "a Verified answer must hold its backup lock");
        probe.releaseLock(verified.lock());
    }

    @Test
    @DisplayName("verify: answers a failure, or completes exceptionally, for an instance that does not exist")
    void missingInstanceIsNotVerified() {
        Verification answer = await(probe.verify(projectId(), missingInstanceId()));

        if (answer != null) {
            assertFalse(answer.isVerified(), "a missing instance must not be verified");
            assertNotNull(answer.failureCode(), "a failed verification names its reason");
        }
    }

    @Test
    @DisplayName("verify: does not verify, or lock, the instance for a project that does not own it")
    void verifyIsScopedToTheProject() {
        Verification answer = await(probe.verify(otherProjectId(), verifiableInstanceId()));

        if (answer instanceof Verification.Verified verified) {
            probe.releaseLock(verified.lock());
            fail("verified " + verifiableInstanceId() + " for " + otherProjectId() + ", which does not own it");
        }
    }

    @Test
    @DisplayName("verify: can verify the instance again once its lock is released")
    void lockIsNotLeaked() {
        probe.releaseLock(verifiedLock());

        probe.releaseLock(verifiedLock());
    }

    // ---------------------------------------------------------------- release

    @Test
    @DisplayName("release: releases a lock it handed out")
    void releasesLock() {
        BackupLock lock = verifiedLock();

        assertDoesNotThrow(() -> probe.releaseLock(lock));
        assertHeld(lock, false, "releaseLock must release the lock");
    }

    @Test
    @DisplayName("release: releases only the lock given, when the probe hands out a second one")
    void releasesOnlyThatLock() {
        BackupLock first = verifiedLock();
        Verification second = await(probe.verify(projectId(), verifiableInstanceId()));
        try {
            if (second instanceof Verification.Verified verified) {
                probe.releaseLock(first);
                assertHeld(first, false, "releaseLock must release the lock");
                assertHeld(verified.lock(), true, "releasing one lock must leave another one held");
            }
        } finally {
            probe.releaseLock(first);
            if (second instanceof Verification.Verified verified) {
                probe.releaseLock(verified.lock());
            }
        }
    }

    @Test
    @DisplayName("release: tolerates a lock that is already gone")
    void toleratesLockAlreadyGone() {
        BackupLock lock = verifiedLock();
        probe.releaseLock(lock);

        assertDoesNotThrow(() -> probe.releaseLock(lock));
        assertHeld(lock, false, "a lock released twice stays released");
    }

    @Test
    @DisplayName("release: tolerates a lock it never handed out")
    void toleratesUnknownLock() {
        assertDoesNotThrow(() -> probe.releaseLock(
                new BackupLock(verifiableInstanceId(), "contract-unknown-lock-token")));
    }
}
