package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static dev.rdsbackup.coretests.Harness.RETRY_DELAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A created backup")
class VerificationAndCopyTest {

    @Nested
    @DisplayName("is accepted at once")
    class Accepted {
        private final Harness h = new Harness();

        @Test
        @DisplayName("as a BUILDING manual backup with the clock's begin time and the instance's datastore")
        void storedAsBuilding() {
            h.probe.instance(PROJECT, INSTANCE).datastore("PostgreSQL", "16");
            BackupHandle handle = h.service.create(Harness.request("Nightly").description("before upgrade").build());
            BackupRecord backup = handle.backup();
            assertThat(backup.status()).isEqualTo(BackupStatus.BUILDING);
            assertThat(backup.type()).hasToString("MANUAL");
            assertThat(backup.beginTime()).isEqualTo(h.clock.instant());
            assertThat(backup.datastore()).isEqualTo(new Datastore("PostgreSQL", "16"));
            assertThat(backup.description()).isEqualTo("before upgrade");
            assertThat(backup.progress().percent()).isZero();
            assertThat(backup.progress().estimatedCompletion()).isAfter(backup.beginTime());
            assertThat(h.stored(backup.id())).isEqualTo(backup);
            assertThat(h.probe.verificationCount()).as("work waits for the scheduler").isZero();
            assertThat(handle.completion().toCompletableFuture()).isNotDone();
            assertThat(h.events.kinds(backup.id())).containsExactly(Kind.CREATED);
        }

        @Test
        @DisplayName("and completes in the background with end time, size and no lock held")
        void completes() {
            BackupHandle handle = h.create("Nightly");
            h.settle();
            BackupRecord done = h.stored(handle.backupId());
            assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(done.endTime()).isEqualTo(h.clock.instant());
            assertThat(done.sizeBytes()).isEqualTo(h.probe.instance(PROJECT, INSTANCE).info().dataSizeBytes());
            assertThat(done.attempts()).isEqualTo(1);
            assertThat(done.lock()).isNull();
            assertThat(done.lease()).isNull();
            assertThat(done.progress()).isNull();
            assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(done);
            assertThat(h.events.kinds(done.id())).containsExactly(Kind.CREATED, Kind.COPY_STARTED, Kind.COMPLETED);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }
    }

    @Nested
    @DisplayName("is verified with automatic retry")
    class Retry {

        @Test
        @DisplayName("and completes after exactly 2 attempts when DDL runs at the first verification only")
        void ddlThenOk() {
            Harness h = new Harness();
            h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
            BackupHandle handle = h.create("Nightly");
            h.settle();
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
            assertThat(h.stored(handle.backupId()).attempts()).isEqualTo(1);
            assertThat(h.events.events(handle.backupId())).filteredOn(e -> e.kind() == Kind.VERIFICATION_RETRY)
                    .singleElement().satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(ErrorCode.VERIFICATION_DDL_RUNNING);
                        assertThat(e.delay()).isEqualTo(RETRY_DELAY);
                    });
            h.advance(RETRY_DELAY.minusSeconds(1));
            assertThat(h.probe.verificationCount()).as("no retry before the delay").isEqualTo(1);
            h.advance(Duration.ofSeconds(1));
            BackupRecord done = h.stored(handle.backupId());
            assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(h.probe.verificationCount()).isEqualTo(2);
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("and fails after the retry when the backup lock is never obtained, with no third attempt")
        void lockNeverObtained() {
            Harness h = new Harness();
            h.probe.instance(PROJECT, INSTANCE).lockUnavailableFor(10);
            BackupHandle handle = h.create("Nightly");
            h.settle();
            h.advance(Duration.ofHours(1));
            BackupRecord failed = h.stored(handle.backupId());
            assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED);
            assertThat(failed.failure().message()).contains("2 attempts").contains("backup lock");
            assertThat(failed.endTime()).isEqualTo(h.clock.instant().minus(Duration.ofHours(1)).plus(RETRY_DELAY));
            assertThat(h.probe.verificationCount()).isEqualTo(2);
            assertThat(h.engine.copyRequests()).isEmpty();
            assertThat(handle.completion().toCompletableFuture()).isCompletedWithValue(failed);
            assertThat(h.events.kinds(failed.id()))
                    .containsExactly(Kind.CREATED, Kind.VERIFICATION_RETRY, Kind.FAILED);
        }

        @Test
        @DisplayName("and completes on the 4th attempt under a 4-attempt policy")
        void fourAttempts() {
            Harness h = new Harness(b -> b.retryPolicy(
                    RetryPolicy.builder().maxAttempts(4).delay(Duration.ofSeconds(10)).multiplier(2).jitter(0).build()));
            h.probe.instance(PROJECT, INSTANCE).ddlRunningFor(1).lockUnavailableFor(1).unreachableFor(1);
            BackupHandle handle = h.create("Nightly");
            h.settle();
            h.advance(Duration.ofSeconds(10));
            h.advance(Duration.ofSeconds(20));
            assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.BUILDING);
            h.advance(Duration.ofSeconds(40));
            BackupRecord done = h.stored(handle.backupId());
            assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
            assertThat(done.attempts()).isEqualTo(4);
            assertThat(h.events.events(done.id())).filteredOn(e -> e.kind() == Kind.VERIFICATION_RETRY)
                    .extracting(e -> e.reason()).containsExactly(ErrorCode.VERIFICATION_DDL_RUNNING,
                            ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED, ErrorCode.VERIFICATION_UNREACHABLE);
        }

        @Test
        @DisplayName("and counts a verification that never answers as unreachable after the timeout")
        void hungVerificationTimesOut() {
            Harness h = new Harness(b -> b.verificationTimeout(Duration.ofSeconds(20)));
            h.probe.instance(PROJECT, INSTANCE).hangFor(2);
            BackupHandle handle = h.create("Nightly");
            h.settle();
            h.advance(Duration.ofSeconds(20));
            assertThat(h.stored(handle.backupId()).attempts()).isEqualTo(1);
            h.advance(RETRY_DELAY.plusSeconds(20));
            BackupRecord failed = h.stored(handle.backupId());
            assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.VERIFICATION_UNREACHABLE);
            h.probe.completeHungVerifications();
            h.settle(); // the probe's answers are handed to the service's scheduler
            assertThat(h.probe.heldLocks()).as("locks that arrive too late are released").isEmpty();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }

        @Test
        @DisplayName("and fails when the table count seen under the lock is above the ceiling")
        void tableCountCheckedAgain() {
            Harness h = new Harness(b -> b.maxTableCount(1_000));
            h.probe.instance(PROJECT, INSTANCE).tableCount(900);
            BackupHandle handle = h.create("Nightly");
            h.probe.instance(PROJECT, INSTANCE).tableCount(1_001);
            h.settle();
            BackupRecord failed = h.stored(handle.backupId());
            assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.TOO_MANY_TABLES);
            assertThat(h.engine.copyRequests()).isEmpty();
            h.probe.assertEveryLockReleasedExactlyOnce();
        }
    }

    @Nested
    @DisplayName("while copying")
    class Copying {
        private final Harness h = new Harness(b -> b.estimate(1024 * 1024, Duration.ofMillis(1)));

        @Test
        @DisplayName("shows progress and an estimated completion that follows the observed rate")
        void progress() {
            h.probe.instance(PROJECT, INSTANCE).dataSizeBytes(1_000_000_000L).tableCount(1_000);
            h.engine.holdCopies();
            BackupHandle handle = h.create("Nightly");
            h.settle();
            BackupRecord copying = h.stored(handle.backupId());
            assertThat(copying.progress().percent()).isZero();
            h.advance(Duration.ofSeconds(100));
            h.engine.progress(handle.backupId(), 250_000_000L);
            h.settle(); // the engine's progress is handed to the service's scheduler
            BackupRecord quarter = h.service.get(PROJECT, handle.backupId());
            assertThat(quarter.progress().percent()).isEqualTo(25);
            assertThat(quarter.progress().bytesCopied()).isEqualTo(250_000_000L);
            assertThat(quarter.progress().estimatedCompletion()).isEqualTo(h.clock.instant().plusSeconds(300));
            h.engine.complete(handle.backupId(), 600_000_000L);
            h.settle();
            assertThat(h.stored(handle.backupId()).sizeBytes()).isEqualTo(600_000_000L);
        }

        @Test
        @DisplayName("estimates a longer backup for more data and more tables")
        void estimateDependsOnSizeAndTables() {
            h.engine.holdCopies();
            h.probe.addInstance(PROJECT, "small").dataSizeBytes(1024L * 1024 * 10).tableCount(10);
            h.probe.addInstance(PROJECT, "big").dataSizeBytes(1024L * 1024 * 1000).tableCount(10);
            h.probe.addInstance(PROJECT, "tables").dataSizeBytes(1024L * 1024 * 10).tableCount(400_000);
            BackupRecord small = h.service.create(Harness.request("Small").instanceId("small").build()).backup();
            BackupRecord big = h.service.create(Harness.request("Big1").instanceId("big").build()).backup();
            BackupRecord tables = h.service.create(Harness.request("Tables").instanceId("tables").build()).backup();
            assertThat(big.progress().estimatedCompletion()).isAfter(small.progress().estimatedCompletion());
            assertThat(tables.progress().estimatedCompletion()).isAfter(small.progress().estimatedCompletion());
        }

        @Test
        @DisplayName("fails with the engine's reason when the copy fails, and releases the lock")
        void engineFailure() {
            h.engine.holdCopies();
            BackupHandle handle = h.create("Nightly");
            h.settle();
            h.engine.fail(handle.backupId(), new IllegalStateException("object storage <full>\nINFO forged"));
            h.settle(); // the engine's answer is handed to the service's scheduler
            BackupRecord failed = h.stored(handle.backupId());
            assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
            assertThat(failed.failure().code()).isEqualTo(ErrorCode.ENGINE_FAILED);
            assertThat(failed.failure().message()).doesNotContain("\n").doesNotContain("<full>");
            h.probe.assertEveryLockReleasedExactlyOnce();
        }
    }
}
