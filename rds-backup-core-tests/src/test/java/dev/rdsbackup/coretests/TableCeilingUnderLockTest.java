package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The table ceiling, checked again with the count seen under the backup lock")
class TableCeilingUnderLockTest {
    private static final long CEILING = 200;

    private final Harness h = new Harness(b -> b.maxTableCount(CEILING));

    /** Accepted with 100 tables; the instance has {@code underLock} when verified. */
    private BackupRecord backUpWith(long underLock) {
        BackupHandle handle = h.create("Nightly");
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).tableCount(underLock);
        h.settle();
        return h.stored(handle.backupId());
    }

    @Test
    @DisplayName("lets a backup with exactly the maximum complete")
    void exactlyTheMaximum() {
        BackupRecord done = backUpWith(CEILING);
        assertThat(done.status()).isEqualTo(BackupStatus.COMPLETED);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("fails a backup with one table over the maximum with TOO_MANY_TABLES, without copying, and "
            + "releases the lock")
    void oneOver() {
        BackupRecord failed = backUpWith(CEILING + 1);
        assertThat(failed.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(failed.failure().code()).isEqualTo(ErrorCode.TOO_MANY_TABLES);
        assertThat(failed.failure().message()).contains(String.valueOf(CEILING + 1)).contains(String.valueOf(CEILING));
        assertThat(h.engine.copyRequests()).isEmpty();
        assertThat(h.probe.locksObtained()).isEqualTo(1);
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("accepts a create at exactly the maximum and refuses one table over it")
    void atCreate() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).tableCount(CEILING);
        assertThat(h.create("Nightly").backup().status()).isEqualTo(BackupStatus.BUILDING);
        h.settle();
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).tableCount(CEILING + 1);
        BackupException e = catchThrowableOfType(BackupException.class, () -> h.create("Weekly"));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_TABLES);
    }
}
