package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.api.error.BackupException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The service runs its reconciler on its own scheduler: no host timer is needed. */
@DisplayName("The service's own reconciler")
class ReconcilerTimerTest {
    private static final Duration LEASE = Duration.ofMinutes(2);

    @Test
    @DisplayName("fails the build of a dead replica once its lease expired, within one recovery interval")
    void runsEveryInterval() {
        Harness h = new Harness(b -> b.leaseDuration(LEASE));
        ManualScheduler survivorScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService survivor = h.baseBuilder("replica-b", survivorScheduler).leaseDuration(LEASE)
                .recoveryInterval(Duration.ofMinutes(1)).build();
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        // Replica A dies: only the survivor's scheduler runs from now on.
        survivorScheduler.advance(LEASE.minusSeconds(1));
        assertThat(h.stored(orphan.backupId()).status()).as("the lease is still alive").isEqualTo(BackupStatus.BUILDING);
        survivorScheduler.advance(Duration.ofMinutes(1));
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.stored(orphan.backupId()).failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        assertThat(h.stored(orphan.backupId()).lock()).isNull();
        assertThat(h.engine.isRunning(orphan.backupId())).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(survivor.inFlight()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"create", "delete", "deleteAll", "instanceDeleted", "recover"})
    @DisplayName("refused when the service was built is scheduled again by the next call of")
    void refusedTimerRestartedByTheNextCall(String call) {
        Harness h = new Harness(b -> b.leaseDuration(LEASE));
        ManualScheduler survivorScheduler = ManualScheduler.strict(h.clock);
        FirstTaskRefusedTest.RefusingScheduler refusing = new FirstTaskRefusedTest.RefusingScheduler(survivorScheduler);
        refusing.refusals = 1; // the reconciler's first timer, asked for by the builder
        DefaultBackupService survivor = h.baseBuilder("replica-b", survivorScheduler).scheduler(refusing)
                .random(new SplittableRandom(7)) // ids of its own
                .leaseDuration(LEASE).recoveryInterval(Duration.ofMinutes(1)).build();
        assertThat(refusing.refused).isEqualTo(1);
        h.engine.holdCopies();
        BackupHandle orphan = h.create("Nightly");
        h.settle();
        // Replica A dies. Without a reconciler timer the survivor would never fail the orphan.
        h.probe.addInstance(Harness.PROJECT, "inst-2");
        Consumer<DefaultBackupService> entry = switch (call) {
            case "create" -> s -> s.create(Harness.request("Other").instanceId("inst-2").build());
            case "delete" -> s -> expectNotFound(() -> s.delete(Harness.PROJECT, "no-such-backup"));
            case "deleteAll" -> s -> s.deleteAll(Harness.PROJECT, List.of("no-such-backup"));
            case "instanceDeleted" -> s -> s.instanceDeleted(Harness.PROJECT, "inst-gone");
            default -> DefaultBackupService::recover;
        };
        entry.accept(survivor);
        survivorScheduler.advance(LEASE.plus(Duration.ofMinutes(1)));
        assertThat(h.stored(orphan.backupId()).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.stored(orphan.backupId()).failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
    }

    private static void expectNotFound(Runnable call) {
        try {
            call.run();
        } catch (BackupException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND);
            return;
        }
        throw new AssertionError("expected BACKUP_NOT_FOUND");
    }
}
