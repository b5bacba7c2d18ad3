package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A client token reused for a different request is refused with IDEMPOTENCY_CONFLICT")
class ClientTokenReuseTest {
    private static final String TOKEN = "tok-7f3a";

    private final Harness h = new Harness();
    private BackupRequest first;
    private BackupHandle original;

    @BeforeEach
    void firstRequest() {
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).partialBackupSupported(true).databases("sales", "hr");
        h.probe.addInstance(Harness.PROJECT, "inst-2").partialBackupSupported(true).databases("sales", "hr");
        first = Harness.request("Nightly").clientToken(TOKEN).databases("sales").description("before").build();
        original = h.service.create(first);
        h.settle();
    }

    private void assertConflict(UnaryOperator<BackupRequest.Builder> change) {
        List<BackupRecord> before = h.store.all();
        BackupRequest reused = change.apply(first.toBuilder()).build();
        BackupException e = catchThrowableOfType(BackupException.class, () -> h.service.create(reused));
        assertThat(e).as("the reuse of the token with %s", reused).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).contains(original.backupId());
        assertThat(h.store.all()).isEqualTo(before);
    }

    @Test
    @DisplayName("with another instance")
    void otherInstance() {
        assertConflict(b -> b.instanceId("inst-2"));
    }

    @Test
    @DisplayName("with another database list, or none")
    void otherDatabases() {
        assertConflict(b -> b.databases("hr"));
        assertConflict(b -> b.databases("sales", "hr"));
        assertConflict(b -> b.databases(List.of()));
    }

    @Test
    @DisplayName("with another type")
    void otherType() {
        assertConflict(b -> b.type(BackupType.AUTOMATED));
    }

    @Test
    @DisplayName("with another description or name")
    void otherDescriptionOrName() {
        assertConflict(b -> b.description("after"));
        assertConflict(b -> b.description(null));
        assertConflict(b -> b.name("Weekly"));
    }

    @Test
    @DisplayName("but the same request again is answered with the original backup")
    void sameRequest() {
        BackupHandle again = h.service.create(first.toBuilder().build());
        assertThat(again.backupId()).isEqualTo(original.backupId());
        assertThat(again.backup()).isEqualTo(h.stored(original.backupId()));
    }
}
