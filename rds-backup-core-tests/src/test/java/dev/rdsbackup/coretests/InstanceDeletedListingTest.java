package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.INSTANCE;
import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 11, items 6 and 13: {@code instanceDeleted} reaches every backup of the instance, and only those. */
@DisplayName("Deleting an instance's backups")
class InstanceDeletedListingTest {
    private final Harness h = new Harness();

    private BackupRecord automated(String id, String instanceId, int minute) {
        return BackupRecord.builder().id(id).projectId(PROJECT).instanceId(instanceId).name("auto-" + id)
                .type(BackupType.AUTOMATED).status(BackupStatus.COMPLETED)
                .datastore(ScriptedInstanceProbe.DEFAULT_DATASTORE)
                .beginTime(h.clock.instant().plus(Duration.ofMinutes(minute)))
                .endTime(h.clock.instant().plus(Duration.ofMinutes(minute + 1))).sizeBytes(1).build();
    }

    @Test
    @DisplayName("skips none over a listing that shrinks between pages (item 6)")
    void shrinkingListing() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String id = String.format("auto-%03d", i);
            h.store.create(automated(id, INSTANCE, i));
            h.engine.putArtifact(id, 1);
            ids.add(id);
        }
        // Another replica removes ten backups of the first page right after it was read.
        ForwardingBackupStore shrinking = new ForwardingBackupStore(h.store) {
            private boolean shrunk;

            @Override
            public BackupPage query(BackupQuery query) {
                BackupPage page = super.query(query);
                if (!shrunk && !page.items().isEmpty()) {
                    shrunk = true;
                    for (BackupRecord r : page.items().subList(0, 10)) {
                        h.store.delete(r.id(), r.version());
                    }
                }
                return page;
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-i", h.scheduler).store(shrinking).build();
        InstanceDeletionReport report = service.instanceDeleted(PROJECT, INSTANCE);
        h.settle();
        assertThat(h.store.all()).as("every backup of the instance was deleted").isEmpty();
        assertThat(report.deleting()).hasSizeGreaterThanOrEqualTo(140);
    }

    @Test
    @DisplayName("touches no backup of another instance that a loose store filter returns (item 13)")
    void looseFilter() {
        h.store.create(automated("mine", "db_1", 0));
        h.store.create(automated("theirs", "db-1", 1));
        // A store whose instance filter is a LIKE: '_' matches any character.
        ForwardingBackupStore like = new ForwardingBackupStore(h.store) {
            @Override
            public BackupPage query(BackupQuery query) {
                BackupQuery loose = query.toBuilder().build();
                List<BackupRecord> all = new ArrayList<>();
                for (BackupRecord r : h.store.all()) {
                    boolean instanceLike = query.instanceId() == null
                            || r.instanceId().matches(query.instanceId().replace("_", "."));
                    if (r.projectId().equals(query.projectId()) && instanceLike) {
                        all.add(r);
                    }
                }
                all.sort(BackupQuery.NEWEST_FIRST);
                int from = Math.min(loose.offset(), all.size());
                int to = Math.min(from + loose.limit(), all.size());
                return new BackupPage(all.subList(from, to), all.size(), loose.offset(), loose.limit());
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-i", h.scheduler).store(like).build();
        InstanceDeletionReport report = service.instanceDeleted(PROJECT, "db_1");
        h.settle();
        assertThat(report.deleting()).containsExactly("mine");
        assertThat(h.store.find("theirs")).map(BackupRecord::status).hasValue(BackupStatus.COMPLETED);
    }

    /** A store whose listing is the one taken before the test changed the records (another replica's work). */
    private DefaultBackupService listingFrom(List<BackupRecord> snapshot) {
        ForwardingBackupStore stale = new ForwardingBackupStore(h.store) {
            @Override
            public BackupPage query(BackupQuery query) {
                int from = Math.min(query.offset(), snapshot.size());
                int to = Math.min(from + query.limit(), snapshot.size());
                return new BackupPage(snapshot.subList(from, to), snapshot.size(), query.offset(), query.limit());
            }
        };
        return h.baseBuilder("replica-i", h.scheduler).store(stale).build();
    }

    @Test
    @DisplayName("a building backup that completed after the listing is kept (manual), not reported cancelled")
    void completedAfterTheListingManual() {
        h.engine.holdCopies();
        String id = h.service.create(Harness.request("Nightly").build()).backupId();
        h.settle();
        List<BackupRecord> snapshot = List.of(h.stored(id));
        h.engine.complete(id);
        h.settle();
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);

        InstanceDeletionReport report = listingFrom(snapshot).instanceDeleted(PROJECT, INSTANCE);

        assertThat(report.cancelled()).isEmpty();
        assertThat(report.deleting()).isEmpty();
        assertThat(report.retained()).containsExactly(id);
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.engine.hasArtifact(id)).isTrue();
    }

    @Test
    @DisplayName("an automated building backup that completed after the listing is deleted, not reported cancelled")
    void completedAfterTheListingAutomated() {
        h.engine.holdCopies();
        String id = h.service.create(Harness.request("auto").type(BackupType.AUTOMATED).build()).backupId();
        h.settle();
        List<BackupRecord> snapshot = List.of(h.stored(id));
        h.engine.complete(id);
        h.settle();

        InstanceDeletionReport report = listingFrom(snapshot).instanceDeleted(PROJECT, INSTANCE);
        h.settle();

        assertThat(report.cancelled()).isEmpty();
        assertThat(report.deleting()).containsExactly(id);
        assertThat(report.retained()).isEmpty();
        assertThat(h.store.find(id)).isEmpty();
        assertThat(h.engine.hasArtifact(id)).isFalse();
    }

    @Test
    @DisplayName("a listed backup that was deleted meanwhile is skipped, and the others are still handled")
    void goneAfterTheListing() {
        h.engine.holdCopies();
        String building = h.service.create(Harness.request("Nightly").build()).backupId();
        h.settle();
        h.store.create(automated("auto-gone", INSTANCE, -10));
        h.store.create(automated("auto-kept", INSTANCE, -20));
        h.engine.putArtifact("auto-kept", 1);
        List<BackupRecord> snapshot = List.of(h.stored(building), h.stored("auto-gone"), h.stored("auto-kept"));
        h.engine.complete(building);
        h.settle();
        h.service.delete(PROJECT, building);
        h.settle();
        h.store.delete("auto-gone", h.stored("auto-gone").version());
        assertThat(h.store.find(building)).isEmpty();

        InstanceDeletionReport report = listingFrom(snapshot).instanceDeleted(PROJECT, INSTANCE);
        h.settle();

        assertThat(report.cancelled()).isEmpty();
        assertThat(report.deleting()).containsExactly("auto-kept");
        assertThat(report.retained()).isEmpty();
        assertThat(h.store.all()).isEmpty();
    }

    @Test
    @DisplayName("reads a listing of more than one page to its end, and reports each backup once")
    void manyPages() {
        List<String> manual = new ArrayList<>();
        for (int i = 0; i < 2 * BackupQuery.MAX_LIMIT + 5; i++) {
            String id = String.format("man-%03d", i);
            h.store.create(automated(id, INSTANCE, i).toBuilder().type(BackupType.MANUAL).name("m" + i).build());
            manual.add(id);
        }
        InstanceDeletionReport report = h.service.instanceDeleted(PROJECT, INSTANCE);
        assertThat(report.retained()).containsExactlyInAnyOrderElementsOf(manual);
        assertThat(report.cancelled()).isEmpty();
        assertThat(report.deleting()).isEmpty();
        assertThat(h.store.all()).hasSize(manual.size());
    }
}
