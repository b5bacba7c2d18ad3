package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.spi.CreateResult;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the in-memory store adds to the contract (which InMemoryBackupStoreContractTest runs). */
@DisplayName("The in-memory store")
class InMemoryBackupStoreTest {

    private static final Datastore MYSQL = new Datastore("MySQL", "8.0");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final InMemoryBackupStore store = new InMemoryBackupStore();

    private static BackupRecord record(String id, String instance, long second) {
        return BackupRecord.builder().id(id).projectId("p").instanceId(instance).name("n-" + id)
                .status(BackupStatus.COMPLETED).datastore(MYSQL).beginTime(T0.plusSeconds(second)).build();
    }

    @Test
    @DisplayName("refuses a record whose id is already stored")
    void refusesDuplicateId() {
        store.create(record("b-1", "i-1", 0));

        assertThatThrownBy(() -> store.create(record("b-1", "i-2", 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("refuses a compare-and-set that changes the instance or the name")
    void refusesIdentityChange() {
        BackupRecord stored = ((CreateResult.Created) store.create(record("b-1", "i-1", 0))).record();

        assertThatThrownBy(() -> store.compareAndSet(stored.toBuilder().instanceId("i-2").build(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId");
        assertThatThrownBy(() -> store.compareAndSet(stored.toBuilder().name("other").build(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThat(store.find("b-1")).contains(stored);
    }

    @Test
    @DisplayName("keeps its order when a write changes a begin time")
    void reindexesOnBeginTimeChange() {
        store.create(record("b-1", "i-1", 10));
        BackupRecord second = ((CreateResult.Created) store.create(record("b-2", "i-1", 20))).record();
        store.compareAndSet(second.toBuilder().beginTime(T0).build(), 0).orElseThrow();

        BackupPage page = store.query(BackupQuery.forInstance("p", "i-1").build());

        assertThat(page.items()).extracting(BackupRecord::id).containsExactly("b-1", "b-2");
    }

    @Test
    @DisplayName("lists all, counts and clears for assertions")
    void helpers() {
        store.create(record("b-1", "i-1", 10));
        store.create(record("b-2", "i-2", 20));

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.all()).extracting(BackupRecord::id).containsExactly("b-2", "b-1");
        store.clear();
        assertThat(store.size()).isZero();
        assertThat(store.query(BackupQuery.forProject("p").build()).totalCount()).isZero();
    }

    @Test
    @DisplayName("answers a page of one instance out of a million records in well under a millisecond")
    void pagesFromAMillionRecords() {
        int instances = 1_000;
        for (int i = 0; i < 1_000_000; i++) {
            store.create(record("b-" + i, "i-" + (i % instances), i));
        }
        BackupQuery query = BackupQuery.forInstance("p", "i-7").limit(100).build();
        for (int i = 0; i < 2_000; i++) {
            store.query(query); // warm-up
        }

        int runs = 2_000;
        long start = System.nanoTime();
        BackupPage page = null;
        for (int i = 0; i < runs; i++) {
            page = store.query(query);
        }
        long averageNanos = (System.nanoTime() - start) / runs;

        assertThat(page.items()).hasSize(100);
        assertThat(page.totalCount()).isEqualTo(1_000);
        assertThat(page.items().get(0).id()).isEqualTo("b-999007");
        // The target is 100 µs; the bound leaves room for a slow, shared build machine.
        assertThat(averageNanos).as("average query time in ns").isLessThan(1_000_000);
    }
}
