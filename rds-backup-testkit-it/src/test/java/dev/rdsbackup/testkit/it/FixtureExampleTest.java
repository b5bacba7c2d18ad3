package dev.rdsbackup.testkit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.testkit.BackupFixture;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The service tests shown in docs/testing.md, written as a host would write them. */
class FixtureExampleTest {

    @Test
    @DisplayName("a backup of a running primary completes")
    void backupCompletes() {
        var f = BackupFixture.create();
        f.addInstance("db-1").dataSizeBytes(10_000_000);

        BackupHandle h = f.service().create(f.request("db-1", "nightly").build());
        f.advance(Duration.ofMinutes(1));

        assertEquals(BackupStatus.COMPLETED, f.get(h.backupId()).status());
        f.probe().assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a backup fails when DDL runs at every attempt")
    void backupFailsWhileDdlRuns() {
        var f = BackupFixture.builder()
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).jitter(0).build())
                .build();
        f.addInstance("db-1").ddlRunningFor(3);

        BackupHandle h = f.createBackup("db-1", "nightly");
        f.advance(Duration.ofMinutes(10));

        assertEquals(BackupStatus.FAILED, f.get(h.backupId()).status());
        assertEquals(ErrorCode.VERIFICATION_DDL_RUNNING, f.get(h.backupId()).failure().code());
        assertEquals(3, f.probe().verificationCount(BackupFixture.PROJECT, "db-1"));
    }
}
