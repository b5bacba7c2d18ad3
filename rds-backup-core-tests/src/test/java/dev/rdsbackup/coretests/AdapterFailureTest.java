package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.spi.BackupEngine;
import dev.rdsbackup.api.spi.CopyJob;
import dev.rdsbackup.api.spi.CopyProgress;
import dev.rdsbackup.api.spi.CopyRequest;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceProbe;
import dev.rdsbackup.api.spi.Verification;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An adapter or listener that throws never leaves a backup BUILDING or a lock held")
class AdapterFailureTest {

    private static void assertSettled(Harness h, BackupHandle handle, BackupStatus expected) {
        h.advance(Duration.ofHours(1));
        BackupRecord last = h.stored(handle.backupId());
        assertThat(last.status()).isEqualTo(expected);
        assertThat(last.lock()).isNull();
        assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(last);
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.service.inFlight()).isZero();
    }

    @Test
    @DisplayName("when verify throws at every attempt")
    void verifyThrows() {
        Harness h = new Harness();
        h.probe.instance(PROJECT, INSTANCE).verifyThrowsFor(5);
        BackupHandle handle = h.create("Nightly");
        assertSettled(h, handle, BackupStatus.FAILED);
        assertThat(h.stored(handle.backupId()).failure().code()).isEqualTo(ErrorCode.VERIFICATION_UNREACHABLE);
    }

    @Test
    @DisplayName("when the verification stage fails")
    void verifyStageFails() {
        Harness h = new Harness();
        h.probe.instance(PROJECT, INSTANCE).verifyFailsFor(1);
        BackupHandle handle = h.create("Nightly");
        assertSettled(h, handle, BackupStatus.COMPLETED);
        assertThat(h.stored(handle.backupId()).attempts()).isEqualTo(2);
    }

    @Test
    @DisplayName("when the engine throws instead of starting a copy")
    void engineThrows() {
        Harness h = new Harness();
        BackupEngine throwing = new BackupEngine() {
            @Override
            public CopyJob startCopy(CopyRequest request, Consumer<CopyProgress> progress) {
                throw new IllegalStateException("engine exploded");
            }

            @Override
            public java.util.concurrent.CompletionStage<Void> stopCopy(BackupRecord backup) {
                return h.engine.stopCopy(backup);
            }

            @Override
            public CompletionStage<Void> deleteArtifact(BackupRecord backup) {
                return h.engine.deleteArtifact(backup);
            }
        };
        var service = h.baseBuilder("replica-x", h.scheduler).engine(throwing).build();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.advance(Duration.ofHours(1));
        BackupRecord last = h.stored(handle.backupId());
        assertThat(last.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(last.failure().code()).isEqualTo(ErrorCode.ENGINE_FAILED);
        assertThat(last.failure().message()).contains("engine exploded");
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("when the lock release itself throws, the backup still ends")
    void releaseThrows() {
        Harness h = new Harness();
        InstanceProbe probe = new InstanceProbe() {
            @Override
            public Optional<InstanceInfo> describe(String projectId, String instanceId) {
                return h.probe.describe(projectId, instanceId);
            }

            @Override
            public CompletionStage<Verification> verify(String projectId, String instanceId) {
                return h.probe.verify(projectId, instanceId);
            }

            @Override
            public void releaseLock(BackupLock lock) {
                h.probe.releaseLock(lock);
                throw new IllegalStateException("agent gone");
            }
        };
        var service = h.baseBuilder("replica-x", h.scheduler).probe(probe).build();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.advance(Duration.ofHours(1));
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("when every listener method throws")
    void listenerThrows() {
        BackupListener hostile = new BackupListener() {
            @Override
            public void onCreated(BackupRecord backup) {
                throw new IllegalStateException("audit log down");
            }

            @Override
            public void onCopyStarted(BackupRecord backup) {
                throw new IllegalStateException("audit log down");
            }

            @Override
            public void onCompleted(BackupRecord backup) {
                throw new IllegalStateException("audit log down");
            }

            @Override
            public void onVerificationRetry(BackupRecord backup, ErrorCode reason, Duration delay) {
                throw new IllegalStateException("audit log down");
            }
        };
        Harness h = new Harness(b -> b.listener(hostile));
        h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
        BackupHandle handle = h.create("Nightly");
        assertSettled(h, handle, BackupStatus.COMPLETED);
        assertThat(h.events.kinds(handle.backupId())).as("other listeners still hear every event")
                .hasSize(4);
    }
}
