package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When leases are renewed: every third of the lease; after a failed renewal, again after a quarter of
 * that period but at most 5 s later, then back to the period; at {@code close()} the leases of what is
 * left are handed over (expired now), and a hand-over the store refuses leaves them to expire on their own.
 */
@DisplayName("Lease renewal timing")
class LeaseTimingTest {
    private final Harness h = new Harness();
    private final FaultInjectingStore counting = new FaultInjectingStore(h.store);

    private DefaultBackupService replica(Duration lease) {
        return h.baseBuilder("replica-t", h.scheduler).store(counting).leaseDuration(lease)
                .shutdownGracePeriod(Duration.ofSeconds(10)).build();
    }

    private BackupHandle building(DefaultBackupService service) {
        return h.copying(service);
    }

    /** Advances by {@code amount} and answers how many renewals were asked of the store meanwhile. */
    private int renewalsOver(Duration amount) {
        int before = counting.calls(Op.RENEW);
        h.advance(amount);
        return counting.calls(Op.RENEW) - before;
    }

    @Test
    @DisplayName("renews every third of the lease, not sooner")
    void everyThird() {
        Duration lease = Duration.ofSeconds(90);
        BackupHandle handle = building(replica(lease));
        assertThat(renewalsOver(Duration.ofMillis(29_999))).isZero();
        assertThat(renewalsOver(Duration.ofMillis(1))).isOne();
        assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant().plus(lease));
        assertThat(renewalsOver(Duration.ofMillis(29_999))).isZero();
        assertThat(renewalsOver(Duration.ofMillis(1))).isOne();
    }

    @ParameterizedTest(name = "lease {0}: a failed renewal is tried again {1} later")
    @CsvSource({"PT12S, PT1S", "PT30S, PT2.5S", "PT3M, PT5S"})
    @DisplayName("a failed renewal is tried again after a quarter of the period, at most 5 s later, then "
            + "every period again")
    void failedRenewalRetry(Duration lease, Duration retry) {
        BackupHandle handle = building(replica(lease));
        Duration period = lease.dividedBy(3);
        counting.failBefore(Op.RENEW, 1);
        assertThat(renewalsOver(period)).as("the renewal that fails").isOne();
        assertThat(renewalsOver(retry.minusMillis(1))).isZero();
        assertThat(renewalsOver(Duration.ofMillis(1))).as("the retry").isOne();
        assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant().plus(lease));
        assertThat(renewalsOver(period.minusMillis(1))).isZero();
        assertThat(renewalsOver(Duration.ofMillis(1))).as("back to the period").isOne();
    }

    @Test
    @DisplayName("stops renewing once no work is left, and starts again with new work")
    void idleStops() {
        Duration lease = Duration.ofSeconds(90);
        DefaultBackupService service = replica(lease);
        BackupHandle handle = building(service);
        h.engine.complete(handle.backupId());
        h.settle();
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(renewalsOver(Duration.ofMinutes(10))).isZero();
        h.probe.addInstance(Harness.PROJECT, "inst-2");
        service.create(Harness.request("Second").instanceId("inst-2").build());
        h.settle();
        assertThat(renewalsOver(Duration.ofSeconds(30))).isOne();
    }

    @Test
    @DisplayName("close() hands the leases of what is left over, expired at that instant")
    void handOverExpiresNow() {
        DefaultBackupService service = replica(Duration.ofMinutes(3));
        BackupHandle handle = building(service);
        service.close();
        h.advance(Duration.ofSeconds(10));
        assertThat(service.closed().toCompletableFuture()).isCompleted();
        assertThat(h.stored(handle.backupId()).lease().expiresAt()).isEqualTo(h.clock.instant());
        assertThat(renewalsOver(Duration.ofMinutes(10))).as("no renewal after close").isZero();
    }

    @Test
    @DisplayName("a hand-over the store refuses still closes; the lease then expires on its own")
    void handOverRefused() {
        Duration lease = Duration.ofMinutes(3);
        DefaultBackupService service = replica(lease);
        BackupHandle handle = building(service);
        var before = h.stored(handle.backupId()).lease();
        service.close();
        counting.failBefore(Op.RENEW, 1);
        h.advance(Duration.ofSeconds(10));
        assertThat(service.closed().toCompletableFuture()).isCompleted();
        assertThat(service.inFlight()).isZero();
        assertThat(h.stored(handle.backupId()).lease()).isEqualTo(before);
    }
}
