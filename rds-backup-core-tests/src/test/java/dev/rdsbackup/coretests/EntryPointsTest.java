package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each entry point of the service checks and does before its own work. */
@DisplayName("The service's entry points")
class EntryPointsTest {
    private final Harness h = new Harness();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"get", "cancel", "delete"})
    @DisplayName("name a missing project or backup id as the field that breaks the rule, and touch nothing")
    void missingIds(String call) {
        String id = h.create("Nightly").backupId();
        h.settle();
        var before = h.store.all();
        assertThatThrownBy(() -> call(call, null, id)).isInstanceOfSatisfying(BackupValidationException.class,
                e -> assertThat(e.violations()).extracting(Violation::field).containsExactly("projectId"));
        assertThatThrownBy(() -> call(call, PROJECT, " ")).isInstanceOfSatisfying(BackupValidationException.class,
                e -> assertThat(e.violations()).extracting(Violation::field).containsExactly("backupId"));
        assertThat(h.store.all()).isEqualTo(before);
    }

    private void call(String call, String projectId, String backupId) {
        switch (call) {
            case "get" -> h.service.get(projectId, backupId);
            case "cancel" -> h.service.cancel(projectId, backupId);
            default -> h.service.delete(projectId, backupId);
        }
    }

    @Test
    @DisplayName("a get that reads the backup ended by another replica stops this replica's run at once")
    void getStopsALocalRunEndedElsewhere() {
        ManualScheduler otherScheduler = ManualScheduler.strict(h.clock);
        DefaultBackupService other = h.baseBuilder("replica-b", otherScheduler).build();
        h.engine.holdCopies();
        BackupHandle handle = h.create("Nightly");
        h.settle();
        assertThat(h.service.inFlight()).isOne();
        other.cancel(PROJECT, handle.backupId());
        otherScheduler.runPending();

        assertThat(h.service.get(PROJECT, handle.backupId()).status()).isEqualTo(BackupStatus.CANCELLED);
        h.settle();

        assertThat(h.service.inFlight()).as("let go before any lease renewal").isZero();
        assertThat(handle.completion().toCompletableFuture()).isCompleted();
        h.advance(Duration.ofMinutes(10));
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
