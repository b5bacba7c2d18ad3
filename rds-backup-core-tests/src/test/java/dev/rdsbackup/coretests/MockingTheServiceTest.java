package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link BackupService} is an interface so a host can mock it in the tests of its own API layer. This is
 * what such a test looks like, with a tiny host handler that maps refusals onto HTTP answers.
 */
@DisplayName("A host can mock BackupService")
class MockingTheServiceTest {

    /** A host's REST handler, reduced to what matters here. */
    static final class CreateBackupHandler {
        private final BackupService backups;

        CreateBackupHandler(BackupService backups) {
            this.backups = backups;
        }

        String post(String projectId, String instanceId, String name) {
            try {
                String id = backups.create(BackupRequest.builder().projectId(projectId).instanceId(instanceId)
                        .name(name).build()).backupId();
                return "202 " + id;
            } catch (BackupValidationException e) {
                return e.httpStatus() + " " + e.violations().get(0).field();
            } catch (BackupException e) {
                return e.httpStatus() + " " + e.code() + (e.retryable() ? " retry-later" : "");
            }
        }
    }

    @Test
    @DisplayName("to test how its API layer answers each refusal")
    void mapsRefusals() {
        BackupService backups = mock(BackupService.class);
        when(backups.create(any()))
                .thenThrow(new BackupException(ErrorCode.INSTANCE_BUSY, "instance is REBOOTING"))
                .thenThrow(new BackupValidationException(List.of(new Violation("name", "BackupName", "bad"))));
        CreateBackupHandler handler = new CreateBackupHandler(backups);

        assertThat(handler.post("p1", "i-1", "Nightly")).isEqualTo("409 INSTANCE_BUSY retry-later");
        assertThat(handler.post("p1", "i-1", "x")).isEqualTo("400 name");
        verify(backups, org.mockito.Mockito.times(2)).create(any());
    }
}
