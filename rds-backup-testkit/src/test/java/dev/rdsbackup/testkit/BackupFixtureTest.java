package dev.rdsbackup.testkit;

import static dev.rdsbackup.testkit.RecordingListener.Kind.COMPLETED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.COPY_STARTED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.CREATED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.FAILED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.VERIFICATION_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The backup fixture")
class BackupFixtureTest {

    @Test
    @DisplayName("completes a backup after a minute of virtual time")
    void completesABackup() {
        var f = BackupFixture.create();
        f.addInstance("db-1").dataSizeBytes(5_000);

        BackupHandle h = f.service().create(f.request("db-1", "nightly").build());
        assertThat(h.backup().status()).isEqualTo(BackupStatus.BUILDING);
        f.advance(Duration.ofMinutes(1));

        BackupRecord done = f.get(h.backupId());
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(done.sizeBytes()).isEqualTo(5_000);
        assertThat(h.completion().toCompletableFuture()).isCompletedWithValueMatching(
                r -> r.status() == BackupStatus.COMPLETED);
        assertThat(f.listener().kinds(h.backupId())).containsExactly(CREATED, COPY_STARTED, COMPLETED);
        assertThat(f.engine().hasArtifact(h.backupId())).isTrue();
        f.probe().assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("runs nothing until time moves")
    void nothingRunsUntilTimeMoves() {
        var f = BackupFixture.create();
        f.addInstance("db-1");

        BackupHandle h = f.createBackup("db-1", "nightly");

        assertThat(f.probe().verificationCount(BackupFixture.PROJECT, "db-1")).isZero();
        assertThat(f.get(h.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
    }

    @Test
    @DisplayName("retries a verification that saw DDL and then completes")
    void retriesAfterDdl() {
        var f = BackupFixture.create();
        f.addInstance("db-1").ddlRunningFor(1);

        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(5));

        assertThat(f.get(h.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(f.probe().verificationCount(BackupFixture.PROJECT, "db-1")).isEqualTo(2);
        assertThat(f.listener().kinds(h.backupId()))
                .containsExactly(CREATED, VERIFICATION_RETRY, COPY_STARTED, COMPLETED);
    }

    @Test
    @DisplayName("fails a backup whose lock is unavailable at every attempt, holding no lock")
    void failsWhenLockNeverAvailable() {
        var f = BackupFixture.builder()
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).jitter(0).build())
                .build();
        f.addInstance("db-1").lockUnavailableFor(3);

        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(10));

        BackupRecord failed = f.get(h.backupId());
        assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED);
        assertThat(f.listener().count(FAILED)).isEqualTo(1);
        assertThat(f.probe().locksObtained()).isZero();
    }

    @Test
    @DisplayName("keeps a held copy building until the engine completes it")
    void heldCopy() {
        var f = BackupFixture.create();
        f.addInstance("db-1").dataSizeBytes(1_000);
        f.engine().holdCopies();

        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(1));
        assertThat(f.get(h.backupId()).status()).isEqualTo(BackupStatus.BUILDING);

        f.engine().progress(h.backupId(), 400);
        f.engine().complete(h.backupId());
        f.runPending();

        assertThat(f.get(h.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        f.probe().assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("lets a second replica recover the backup of a replica that crashed")
    void replicaRecovers() {
        var a = BackupFixture.builder().leaseDuration(Duration.ofMinutes(2)).build();
        a.addInstance("db-1");
        a.engine().holdCopies();
        BackupHandle h = a.createBackup("db-1", "nightly");
        a.advance(Duration.ofSeconds(1));
        assertThat(a.engine().isRunning(h.backupId())).isTrue();

        a.crash();
        var b = a.replica("replica-2");
        // The second replica's own reconciler (every minute) takes the expired lease over.
        b.advance(Duration.ofMinutes(5));
        b.runPending();

        BackupRecord recovered = b.get(h.backupId());
        assertThat(recovered.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(recovered.failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
        a.probe().assertEveryLockReleasedExactlyOnce();
        RecoveryReport again = b.service().recover();
        assertThat(again.isEmpty()).as("nothing is left to recover").isTrue();
    }

    @Test
    @DisplayName("hands a wrapped store to the service and keeps the in-memory one for assertions")
    void decoratesStore() {
        var f = BackupFixture.builder()
                .decorateStore(store -> new ForwardingBackupStore(store) {
                    @Override
                    public Optional<BackupRecord> find(String backupId) {
                        throw new IllegalStateException("store down");
                    }
                })
                .build();
        f.addInstance("db-1");
        BackupHandle h = f.createBackup("db-1", "nightly");

        assertThatThrownBy(() -> f.get(h.backupId())).isInstanceOf(RuntimeException.class);
        assertThat(f.store().find(h.backupId())).isPresent();
    }

    @Test
    @DisplayName("refuses work submitted from a thread other than the test's")
    void strictThreads() throws Exception {
        var f = BackupFixture.create();

        CompletableFuture<Void> escaped = CompletableFuture.runAsync(() -> f.scheduler().execute(() -> { }));

        assertThatThrownBy(() -> escaped.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.advance(Duration.ofSeconds(1))).isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("runs the service on a store the host passes, and answers that store")
    void usesTheHostsStore() {
        InMemoryBackupStore hostStore = new InMemoryBackupStore();
        var f = BackupFixture.builder().store(new ForwardingBackupStore(hostStore) { }).build();
        f.addInstance("db-1");

        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(1));

        assertThat(f.store()).isInstanceOf(ForwardingBackupStore.class);
        assertThat(hostStore.find(h.backupId())).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(BackupStatus.COMPLETED));
        assertThat(f.replica("replica-2").store()).isSameAs(f.store());
    }

    @Test
    @DisplayName("keeps a backup DELETING while the engine holds its delete, and removes it once the delete completes")
    void heldDelete() {
        var f = BackupFixture.create();
        f.addInstance("db-1");
        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(1));
        f.engine().holdDeletes();

        f.service().delete(BackupFixture.PROJECT, h.backupId());
        f.runPending();

        assertThat(f.store().find(h.backupId())).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(BackupStatus.DELETING));
        assertThat(f.engine().heldDeletes()).containsExactly(h.backupId());
        assertThat(f.engine().hasArtifact(h.backupId())).isTrue();

        f.engine().completeDelete(h.backupId());
        f.runPending();

        assertThat(f.store().find(h.backupId())).isEmpty();
        assertThat(f.engine().hasArtifact(h.backupId())).isFalse();
    }
}
