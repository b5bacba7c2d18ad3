package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupListener;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.core.TaskScheduler;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's code examples live here, between {@code // README:name} and {@code // README:end}
 * markers, so they compile and run; a test checks that the README shows exactly this code.
 */
@DisplayName("The README's examples")
class ReadmeExamplesTest {
    private final SettableClock clock = new SettableClock();
    // In production: TaskScheduler.of(Executors.newScheduledThreadPool(2)) and Clock.systemUTC().
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryBackupStore store = new InMemoryBackupStore();
    private final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    private final FakeBackupEngine engine = new FakeBackupEngine();
    private final List<String> failures = new ArrayList<>();

    private BackupService wire(Clock clock, TaskScheduler scheduler) {
        // README:wiring
        BackupService backups = DefaultBackupService.builder()
                .store(store)            // your BackupStore: where backup records live
                .probe(probe)            // your InstanceProbe: describe and verify an instance
                .engine(engine)          // your BackupEngine: copy and delete the data
                .clock(clock)            // Clock.systemUTC() in production
                .scheduler(scheduler)    // TaskScheduler.of(Executors.newScheduledThreadPool(2))
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).delay(Duration.ofSeconds(20)).build())
                .listener(new BackupListener() {
                    @Override
                    public void onFailed(BackupRecord backup) {
                        failures.add(backup.id() + " " + backup.failure().code());
                    }
                })
                .build();
        // README:end
        return backups;
    }

    @Test
    @DisplayName("'Creating a backup' wires the service, creates a backup and waits for it")
    void creatingABackup() throws Exception {
        probe.addInstance("proj-1", "inst-1").ddlRunningFor(1);
        BackupService backups = wire(clock, scheduler);
        String requestId = "3f9c-retry-safe";

        // README:create
        BackupHandle handle = backups.create(BackupRequest.builder()
                .projectId("proj-1")
                .instanceId("inst-1")
                .name("before-upgrade")
                .description("Taken before the 8.0.36 upgrade")
                .clientToken(requestId)          // a retried POST returns the same backup
                .build());
        BackupRecord accepted = handle.backup(); // BUILDING, returned at once
        CompletableFuture<BackupRecord> done = handle.completion().toCompletableFuture();
        // README:end

        assertThat(accepted.status()).isEqualTo(BackupStatus.BUILDING);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(done.get().status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(done.get().attempts()).isEqualTo(2);
        assertThat(failures).isEmpty();

        // README:refusal
        try {
            backups.create(BackupRequest.builder()
                    .projectId("proj-1").instanceId("inst-1").name("before-upgrade").build());
        } catch (BackupException e) {
            // e.code() == BACKUP_NAME_EXISTS, e.httpStatus() == 409, e.retryable() == false
            respond(e.httpStatus(), e.code().name(), e.getMessage());
        }
        // README:end
        assertThat(responses).containsExactly("409 BACKUP_NAME_EXISTS");
    }

    private final List<String> responses = new ArrayList<>();

    private void respond(int status, String code, String message) {
        responses.add(status + " " + code);
    }

    @Test
    @DisplayName("'Listing, deleting and instance deletion' lists, deletes and deletes an instance")
    void listingAndDeleting() {
        probe.addInstance("proj-1", "inst-1");
        BackupService backups = wire(clock, scheduler);
        String manualId = backups.create(BackupRequest.builder().projectId("proj-1").instanceId("inst-1")
                .name("keep-me").build()).backupId();
        scheduler.runPending();
        scheduler.advance(Duration.ofMinutes(1));
        String oldId = backups.create(BackupRequest.builder().projectId("proj-1").instanceId("inst-1")
                .name("old-one").build()).backupId();
        scheduler.runPending();
        scheduler.advance(Duration.ofMinutes(1));
        backups.create(BackupRequest.builder().projectId("proj-1").instanceId("inst-1")
                .name("auto-0600").type(BackupType.AUTOMATED).build());
        scheduler.runPending();
        String backupId = oldId;

        // README:list
        BackupPage page = backups.list(BackupQuery.forInstance("proj-1", "inst-1")
                .type(BackupType.MANUAL)
                .statuses(BackupStatus.COMPLETED)
                .limit(20)
                .build());                       // newest first, with page.totalCount()
        BackupPage everything = backups.list(BackupQuery.forProject("proj-1").build());
        // README:end
        assertThat(page.items()).extracting(BackupRecord::name).containsExactly("old-one", "keep-me");
        assertThat(everything.totalCount()).isEqualTo(3);

        // README:delete
        BackupRecord deleting = backups.delete("proj-1", backupId);   // DELETING; the record goes when the data is gone
        InstanceDeletionReport report = backups.instanceDeleted("proj-1", "inst-1");
        // report.retained(): the manual backups, still listable by project and by "inst-1"
        // report.deleting(): the automated backups, data and records being deleted
        // README:end
        assertThat(deleting.status()).isEqualTo(BackupStatus.DELETING);
        assertThat(report.retained()).containsExactly(manualId);
        assertThat(report.deleting()).hasSize(1);
        assertThat(backups.list(BackupQuery.forProject("proj-1").build()).items()).extracting(BackupRecord::id)
                .containsExactly(manualId);
        assertThat(ErrorCode.values()).isNotEmpty();
    }

    @Test
    @DisplayName("are shown in the README exactly as they are written here")
    void readmeShowsTheseExamples() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/rdsbackup/coretests/ReadmeExamplesTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher marker = Pattern.compile("// README:(\\w+)\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL)
                .matcher(source);
        int found = 0;
        while (marker.find()) {
            found++;
            String name = marker.group(1);
            String snippet = normalize(marker.group(2));
            assertThat(normalize(readme)).as("README shows example '%s'", name).contains(snippet);
        }
        assertThat(found).isEqualTo(5);
    }

    private static String normalize(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + "\n" + b);
    }
}
