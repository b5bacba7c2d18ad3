package dev.rdsbackup.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.InstanceStatus;
import dev.rdsbackup.http.TerraformStyleClient.Outcome;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A client polling exactly as the Terraform providers do ends, with the right outcome, in every scenario: the wire
 * never shows a status the providers would wait on forever. The backend runs in virtual time, moved by the client's
 * waits; nothing sleeps.
 */
@DisplayName("A client polling as the Terraform providers do")
class TerraformPollingTest {

    private final TestBackend backend = new TestBackend();
    private final AtomicInteger waits = new AtomicInteger();

    @AfterEach
    void stop() {
        backend.close();
    }

    /** A client whose waits move virtual time, then do what the scenario does on that wait. */
    private TerraformStyleClient client(Runnable onEachWait) {
        return new TerraformStyleClient(backend.base(), TestBackend.PROJECT, d -> {
            waits.incrementAndGet();
            backend.advance(d);
            onEachWait.run();
        });
    }

    private String completedBackup() {
        backend.fixture.addInstance("db-1");
        TerraformStyleClient setup = client(() -> { });
        assertThat(setup.createAndWait("db-1", "nightly")).isEqualTo(Outcome.COMPLETED);
        return setup.lastSeen().get("id").asText();
    }

    @Test
    @DisplayName("ends COMPLETED when the backup succeeds")
    void success() {
        backend.fixture.addInstance("db-1");
        TerraformStyleClient c = client(() -> { });

        assertThat(c.createAndWait("db-1", "nightly")).isEqualTo(Outcome.COMPLETED);
        assertThat(c.lastSeen().get("rds_backup_status").asText()).isEqualTo("COMPLETED");
        assertThat(c.polls()).isEqualTo(1);
    }

    @Test
    @DisplayName("ends FAILED when the backup lock is not obtained at the first attempt nor at the automatic retry")
    void failureAfterRetry() {
        backend.fixture.addInstance("db-1").lockUnavailableFor(2);
        TerraformStyleClient c = client(() -> { });

        assertThat(c.createAndWait("db-1", "nightly")).isEqualTo(Outcome.FAILED);
        assertThat(c.lastSeen().get("rds_backup_failure").get("code").asText()).isEqualTo("VERIFICATION_LOCK_NOT_OBTAINED");
        assertThat(backend.fixture.probe().verificationCount(TestBackend.PROJECT, "db-1")).isEqualTo(2);
        assertThat(c.polls()).isGreaterThan(1);
    }

    @Test
    @DisplayName("ends FAILED when the backup is cancelled while it copies (precise status CANCELLED)")
    void cancel() {
        backend.fixture.addInstance("db-1");
        backend.fixture.engine().holdCopies();
        TerraformStyleClient c = client(() -> {
            if (waits.get() == 3) {
                String id = backend.store.all().get(0).id();
                backend.fixture.service().cancel(TestBackend.PROJECT, id);
            }
        });

        assertThat(c.createAndWait("db-1", "nightly")).isEqualTo(Outcome.FAILED);
        assertThat(c.lastSeen().get("rds_backup_status").asText()).isEqualTo("CANCELLED");
        assertThat(c.polls()).isEqualTo(3);
    }

    @Test
    @DisplayName("retries a create refused with DBS.201202 while the instance reboots, then ends COMPLETED")
    void busyInstanceRetried() {
        backend.fixture.addInstance("db-1").status(InstanceStatus.REBOOTING);
        TerraformStyleClient c = client(() -> backend.fixture.probe().instance(TestBackend.PROJECT, "db-1")
                .status(InstanceStatus.ACTIVE));

        assertThat(c.createAndWait("db-1", "nightly")).isEqualTo(Outcome.COMPLETED);
        assertThat(c.polls()).isEqualTo(2);
    }

    @Test
    @DisplayName("after a delete, sees DELETING, then ends when the backup is gone")
    void delete() {
        String id = completedBackup();
        TerraformStyleClient c = client(backend::finishDeletes);

        assertThat(c.deleteAndWait("db-1", id)).isEqualTo(Outcome.GONE);
        assertThat(c.lastSeen().get("status").asText()).isEqualTo("DELETING");
        assertThat(backend.store.all()).isEmpty();
    }

    @Test
    @DisplayName("after a delete whose data cannot be deleted, ends with a failure (FAILED, precise DELETE_FAILED)")
    void deleteFailure() {
        String id = completedBackup();
        backend.fixture.engine().failNextDeletes(1);
        TerraformStyleClient c = client(backend::finishDeletes);

        assertThat(c.deleteAndWait("db-1", id)).isEqualTo(Outcome.DELETE_FAILED);
        assertThat(c.lastSeen().get("status").asText()).isEqualTo("FAILED");
        assertThat(c.lastSeen().get("rds_backup_status").asText()).isEqualTo("DELETE_FAILED");
        assertThat(backend.fixture.get(id).status()).isEqualTo(BackupStatus.DELETE_FAILED);
    }

    @Test
    @DisplayName("after a failed delete, a new delete is accepted and ends when the backup is gone")
    void deleteRetried() {
        String id = completedBackup();
        backend.fixture.engine().failNextDeletes(1);
        TerraformStyleClient c = client(backend::finishDeletes);
        assertThat(c.deleteAndWait("db-1", id)).isEqualTo(Outcome.DELETE_FAILED);

        assertThat(c.deleteAndWait("db-1", id)).isEqualTo(Outcome.GONE);
        assertThat(backend.store.all()).isEmpty();
    }
}
