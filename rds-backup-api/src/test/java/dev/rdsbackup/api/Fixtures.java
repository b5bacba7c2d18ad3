package dev.rdsbackup.api;

import dev.rdsbackup.api.error.ErrorCode;
import java.time.Instant;
import java.util.List;

/** Test support: valid values to start from. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    public static final Datastore MYSQL = new Datastore("MySQL", "8.0");

    private Fixtures() {
    }

    /** A {@code BUILDING} manual backup with every optional component empty. */
    public static BackupRecord.Builder building() {
        return BackupRecord.builder()
                .id("b-1")
                .projectId("p-1")
                .instanceId("i-1")
                .name("Daily")
                .datastore(MYSQL)
                .beginTime(T0);
    }

    /** A failed backup with every optional component set. */
    public static BackupRecord everythingSet() {
        return building()
                .description("before the upgrade")
                .type(BackupType.MANUAL)
                .status(BackupStatus.FAILED)
                .databases(List.of("sales", "hr"))
                .clientToken("tok-1")
                .endTime(T0.plusSeconds(60))
                .sizeBytes(0)
                .progress(new BackupProgress(40, 400, 1000, T0.plusSeconds(120)))
                .failure(new BackupFailure(ErrorCode.VERIFICATION_LOCK_NOT_OBTAINED, "lock wait timed out twice"))
                .attempts(2)
                .lease(new Lease("replica-a", T0.plusSeconds(30)))
                .lock(new BackupLock("i-1", "session-42"))
                .version(3)
                .build();
    }

    /** A full request with every optional value set. */
    public static BackupRequest fullRequest() {
        return BackupRequest.builder()
                .projectId("p-1")
                .instanceId("i-1")
                .name("Daily")
                .description("before the upgrade")
                .databases("sales", "hr")
                .clientToken("tok-1")
                .type(BackupType.MANUAL)
                .build();
    }
}
