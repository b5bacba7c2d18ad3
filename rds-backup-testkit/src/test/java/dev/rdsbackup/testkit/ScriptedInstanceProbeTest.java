package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceRole;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.api.spi.Verification;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The scripted instance probe")
class ScriptedInstanceProbeTest {

    private final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();

    private Verification verify() {
        return probe.verify("p", "i").toCompletableFuture().getNow(null);
    }

    @Test
    @DisplayName("describes an added instance with the defaults and its changes")
    void describes() {
        probe.addInstance("p", "i").status(InstanceStatus.REBOOTING).role(InstanceRole.READ_REPLICA)
                .datastore("PostgreSQL", "16").tableCount(7).dataSizeBytes(99).partialBackupSupported(true)
                .databases("orders", "users");

        InstanceInfo info = probe.describe("p", "i").orElseThrow();

        assertThat(info.status()).isEqualTo(InstanceStatus.REBOOTING);
        assertThat(info.role()).isEqualTo(InstanceRole.READ_REPLICA);
        assertThat(info.datastore().engine()).isEqualTo("PostgreSQL");
        assertThat(info.tableCount()).isEqualTo(7);
        assertThat(info.dataSizeBytes()).isEqualTo(99);
        assertThat(info.partialBackupSupported()).isTrue();
        assertThat(info.databases()).containsExactly("orders", "users");
        assertThat(probe.describe("other", "i")).isEmpty();
    }

    @Test
    @DisplayName("answers the scripted verification failures in order, then verifies")
    void scriptedOrder() {
        probe.addInstance("p", "i").ddlRunningFor(1).lockUnavailableFor(1).unreachableFor(1);

        assertThat(verify()).isInstanceOf(Verification.DdlInProgress.class);
        assertThat(verify()).isInstanceOf(Verification.LockNotObtained.class);
        assertThat(verify()).isInstanceOf(Verification.Unreachable.class);
        assertThat(verify()).isInstanceOf(Verification.Verified.class);
        assertThat(probe.verificationCount("p", "i")).isEqualTo(4);
    }

    @Test
    @DisplayName("throws, fails the stage or throws on describe when scripted to")
    void failures() {
        probe.addInstance("p", "i").verifyThrowsFor(1).verifyFailsFor(1).describeThrows(new IllegalStateException("down"));

        assertThatThrownBy(() -> probe.verify("p", "i")).isInstanceOf(IllegalStateException.class);
        assertThat(probe.verify("p", "i").toCompletableFuture()).isCompletedExceptionally();
        assertThatThrownBy(() -> probe.describe("p", "i")).hasMessage("down");
    }

    @Test
    @DisplayName("holds a hung verification until the test completes it with a lock")
    void hangs() {
        probe.addInstance("p", "i").hangFor(1);

        CompletableFuture<Verification> hung = probe.verify("p", "i").toCompletableFuture();
        assertThat(hung).isNotDone();
        assertThat(probe.hungVerificationCount()).isEqualTo(1);

        assertThat(probe.completeHungVerifications()).isEqualTo(1);
        assertThat(hung.getNow(null)).isInstanceOf(Verification.Verified.class);
        assertThat(probe.heldLocks()).hasSize(1);
    }

    @Test
    @DisplayName("answers unreachable for an instance it does not know")
    void unknownInstance() {
        assertThat(verify()).isInstanceOf(Verification.Unreachable.class);
    }

    @Test
    @DisplayName("counts lock releases and reports a double release instead of hiding it")
    void lockAccounting() {
        probe.addInstance("p", "i");
        var first = (Verification.Verified) verify();
        var second = (Verification.Verified) verify();
        probe.releaseLock(first.lock());

        assertThat(probe.heldLocks()).containsExactly(second.lock());
        assertThatThrownBy(probe::assertEveryLockReleasedExactlyOnce).hasMessageContaining("never released");

        probe.releaseLock(second.lock());
        probe.assertEveryLockReleasedExactlyOnce();

        probe.releaseLock(second.lock());
        assertThat(probe.doubleReleasedLocks()).containsExactly(second.lock());
        assertThat(probe.locksObtained()).isEqualTo(2);
        assertThat(probe.locksReleased()).isEqualTo(3);
        assertThatThrownBy(probe::assertEveryLockReleasedExactlyOnce).hasMessageContaining("released 2 times");
    }
}
