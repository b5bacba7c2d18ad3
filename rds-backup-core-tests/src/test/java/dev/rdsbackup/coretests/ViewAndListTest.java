package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Viewing and listing backups")
class ViewAndListTest {
    private final Harness h = new Harness();

    /** Creates a completed backup a minute after the previous one. */
    private BackupRecord completed(String instanceId, String name, BackupType type) {
        h.advance(Duration.ofMinutes(1));
        String id = h.service.create(Harness.request(name).instanceId(instanceId).type(type).build()).backupId();
        h.settle();
        return h.stored(id);
    }

    @Nested
    @DisplayName("one backup by id")
    class Get {
        @Test
        @DisplayName("returns the stored record")
        void found() {
            BackupRecord backup = completed(INSTANCE, "Nightly", BackupType.MANUAL);
            assertThat(h.service.get(PROJECT, backup.id())).isEqualTo(backup);
        }

        @Test
        @DisplayName("of another project is 'not found' (404), never revealed")
        void otherProject() {
            BackupRecord backup = completed(INSTANCE, "Nightly", BackupType.MANUAL);
            assertThatThrownBy(() -> h.service.get("proj-2", backup.id()))
                    .isInstanceOfSatisfying(BackupException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND);
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.getMessage()).doesNotContain(INSTANCE).doesNotContain("Nightly");
                    });
        }

        @Test
        @DisplayName("with a malformed id is a 400 naming the field")
        void malformedId() {
            assertThatThrownBy(() -> h.service.get(PROJECT, "x\ny"))
                    .isInstanceOfSatisfying(BackupValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::field).containsExactly("backupId"));
        }
    }

    @Nested
    @DisplayName("a listing")
    class Listing {
        @Test
        @DisplayName("of one instance shows only its backups, newest first, with the total count")
        void perInstance() {
            h.probe.addInstance(PROJECT, "inst-2");
            BackupRecord a = completed(INSTANCE, "Aaaa", BackupType.MANUAL);
            BackupRecord other = completed("inst-2", "Other", BackupType.MANUAL);
            BackupRecord b = completed(INSTANCE, "Bbbb", BackupType.AUTOMATED);
            BackupPage page = h.service.list(BackupQuery.forInstance(PROJECT, INSTANCE).build());
            assertThat(page.items()).containsExactly(b, a);
            assertThat(page.totalCount()).isEqualTo(2);
            assertThat(page.hasMore()).isFalse();
            assertThat(h.service.list(BackupQuery.forProject(PROJECT).build()).items()).containsExactly(b, other, a);
        }

        @Test
        @DisplayName("across the project filters by type, status and a begin-time window")
        void filters() {
            BackupRecord manual = completed(INSTANCE, "Manual1", BackupType.MANUAL);
            Instant afterFirst = h.clock.instant().plusSeconds(1);
            BackupRecord auto = completed(INSTANCE, "Auto1", BackupType.AUTOMATED);
            h.probe.instance(PROJECT, INSTANCE).lockUnavailableFor(2);
            h.advance(Duration.ofMinutes(1));
            String failedId = h.create("Broken").backupId();
            h.advance(Duration.ofMinutes(5));
            BackupRecord failed = h.stored(failedId);

            assertThat(h.service.list(BackupQuery.forProject(PROJECT).type(BackupType.AUTOMATED).build()).items())
                    .containsExactly(auto);
            assertThat(h.service.list(BackupQuery.forProject(PROJECT).statuses(BackupStatus.FAILED).build()).items())
                    .containsExactly(failed);
            assertThat(h.service.list(BackupQuery.forProject(PROJECT)
                    .window(afterFirst, h.clock.instant()).build()).items()).containsExactly(failed, auto);
            assertThat(h.service.list(BackupQuery.forProject(PROJECT)
                    .window(manual.beginTime(), manual.beginTime().plusMillis(1)).build()).items())
                    .containsExactly(manual);
        }

        @Test
        @DisplayName("pages with offset and limit, and the default limit is 100")
        void paging() {
            for (int i = 0; i < 5; i++) {
                completed(INSTANCE, "Backup" + i, BackupType.MANUAL);
            }
            BackupPage first = h.service.list(BackupQuery.forProject(PROJECT).limit(2).build());
            BackupPage third = h.service.list(BackupQuery.forProject(PROJECT).offset(4).limit(2).build());
            assertThat(first.items()).extracting(BackupRecord::name).containsExactly("Backup4", "Backup3");
            assertThat(first.hasMore()).isTrue();
            assertThat(third.items()).extracting(BackupRecord::name).containsExactly("Backup0");
            assertThat(third.totalCount()).isEqualTo(5);
            assertThat(BackupQuery.forProject(PROJECT).build().limit()).isEqualTo(100);
        }

        @Test
        @DisplayName("with invalid paging or window is a 400 naming every bad field")
        void invalid() {
            BackupQuery bad = BackupQuery.forProject(PROJECT).offset(-1).limit(101)
                    .window(Instant.EPOCH, null).build();
            assertThatThrownBy(() -> h.service.list(bad))
                    .isInstanceOfSatisfying(BackupValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::field).containsExactly("limit", "offset", "windowEnd"));
            assertThatThrownBy(() -> h.service.list(BackupQuery.forProject(PROJECT)
                    .window(Instant.EPOCH.plusSeconds(1), Instant.EPOCH).build()))
                    .isInstanceOfSatisfying(BackupValidationException.class, e -> assertThat(e.violations())
                            .extracting(Violation::field).containsExactly("windowEnd"));
            assertThatThrownBy(() -> h.service.list(null)).isInstanceOf(BackupValidationException.class);
        }

        @Test
        @DisplayName("of another project shows nothing of this one")
        void projectIsolation() {
            completed(INSTANCE, "Nightly", BackupType.MANUAL);
            assertThat(h.service.list(BackupQuery.forProject("proj-2").build()).items()).isEmpty();
            assertThat(h.service.list(BackupQuery.forInstance("proj-2", INSTANCE).build()).totalCount()).isZero();
        }
    }

    @Test
    @DisplayName("automated and manual backups live side by side with the same lifecycle")
    void bothTypes() {
        BackupRecord manual = completed(INSTANCE, "Manual1", BackupType.MANUAL);
        BackupRecord auto = completed(INSTANCE, "Auto1", BackupType.AUTOMATED);
        assertThat(List.of(manual.status(), auto.status())).containsOnly(BackupStatus.COMPLETED);
        assertThat(auto.type()).isEqualTo(BackupType.AUTOMATED);
        assertThatThrownBy(() -> h.service.create(Harness.request("Manual1").type(BackupType.AUTOMATED).build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_NAME_EXISTS));
    }
}
