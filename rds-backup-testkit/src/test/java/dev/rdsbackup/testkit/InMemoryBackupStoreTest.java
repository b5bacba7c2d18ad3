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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    @DisplayName("answers a page of one instance out of many records from its index, newest first")
    void pagesFromManyRecords() {
        // Speed is measured by the JMH benchmark (rds-backup-benchmarks), not asserted here.
        int instances = 100;
        for (int i = 0; i < 20_000; i++) {
            store.create(record("b-" + i, "i-" + (i % instances), i));
        }
        BackupPage first = store.query(BackupQuery.forInstance("p", "i-7").limit(100).build());
        BackupPage last = store.query(BackupQuery.forInstance("p", "i-7").offset(150).limit(100).build());

        assertThat(first.items()).hasSize(100);
        assertThat(first.totalCount()).isEqualTo(200);
        assertThat(first.items().get(0).id()).isEqualTo("b-19907");
        assertThat(first.items()).extracting(BackupRecord::instanceId).containsOnly("i-7");
        assertThat(last.items()).hasSize(50);
        assertThat(last.items().get(49).id()).isEqualTo("b-7");
    }

    @Test
    @DisplayName("stores one record when callers on different instances create the same id at once")
    void idIsUniqueAcrossInstances() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 200; round++) {
                String id = "same-" + round;
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Boolean>> created = new ArrayList<>();
                for (int caller = 0; caller < 4; caller++) {
                    BackupRecord r = record(id, "i-" + caller, round);
                    created.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            return store.create(r) instanceof CreateResult.Created;
                        } catch (IllegalArgumentException duplicate) {
                            return false;
                        }
                    }));
                }
                int winners = 0;
                for (Future<Boolean> f : created) {
                    winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("round " + round).isEqualTo(1);
                assertThat(store.query(BackupQuery.forProject("p").build()).totalCount()).isEqualTo(round + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
