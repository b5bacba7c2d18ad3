package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.ForwardingEngine;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

/**
 * Stopping the copy is an obligation of whoever ends a build: when the engine cannot stop it now, the lock is
 * still released, the record keeps the lease that says a copy is owed a stop, and the reconciler stops it.
 */
@DisplayName("A cancel whose copy the engine cannot stop at once")
class CopyStopFailureTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @ParameterizedTest(name = "stopCopy {0}")
    @ValueSource(strings = {"throws", "returns no stage", "fails its stage"})
    @DisplayName("releases the lock now, keeps the stop owed under the lease, and the reconciler stops the copy")
    void stopOwed(String how) {
        Harness h = new Harness(b -> b.leaseDuration(LEASE));
        int[] refusals = {1};
        ForwardingEngine engine = new ForwardingEngine(h.engine) {
            @Override
            public CompletionStage<Void> stopCopy(BackupRecord backup) {
                if (refusals[0]-- > 0) {
                    switch (how) {
                        case "throws" -> throw new IllegalStateException("injected: the agent is unreachable");
                        case "returns no stage" -> {
                            return null;
                        }
                        default -> {
                            return java.util.concurrent.CompletableFuture.failedFuture(
                                    new IllegalStateException("injected: the agent did not answer"));
                        }
                    }
                }
                return super.stopCopy(backup);
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-s", h.scheduler).engine(engine).leaseDuration(LEASE)
                .build();
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        String id = handle.backupId();

        service.cancel(Harness.PROJECT, id);
        h.settle();
        BackupRecord owed = h.stored(id);
        assertThat(owed.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(owed.lock()).as("the lock is released and cleared").isNull();
        assertThat(owed.lease()).as("the copy still owes a stop").isNotNull();
        assertThat(h.engine.isRunning(id)).isTrue();
        h.probe.assertEveryLockReleasedExactlyOnce();

        h.advance(LEASE.plusSeconds(1));
        service.recover();
        h.settle();
        BackupRecord done = h.stored(id);
        assertThat(done.lease()).isNull();
        assertThat(h.engine.isRunning(id)).as("the reconciler stopped the copy").isFalse();
        assertThat(h.engine.hasArtifact(id)).isFalse();
        assertThat(h.events.kinds(id).stream().filter(k -> k == Kind.CANCELLED)).hasSize(1);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }
}
