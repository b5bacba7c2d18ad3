package dev.rdsbackup.benchmarks;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.spi.CreateResult;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Figure 4: one page of 100 backups of one instance, out of {@code records} stored in an
 * {@code InMemoryBackupStore}.
 *
 * <p>The instance looked at ({@code inst-target}) has {@value #TARGET_RECORDS} backups; the rest are spread
 * over 999 other instances of the same project, so the project-wide index holds every record. All are
 * COMPLETED manual backups, one second apart.
 * <ul>
 *   <li>{@code storeFirstPage}, {@code storeTenthPage}: {@code store.query} at offset 0 and 900.</li>
 *   <li>{@code serviceFirstPage}: {@code service.list}, which validates the query (Hibernate Validator)
 *       and then asks the store.</li>
 *   <li>{@code storeProjectFirstPage}: the first page across all instances ("Backup Management").</li>
 *   <li>{@code baselineCopy100}: copying 100 records out of a list already in order, the floor.</li>
 * </ul>
 * Target: at most 100 us, at 10,000 and at 1,000,000 records.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class PagingBenchmark {
    /** Backups of the instance paged through. */
    public static final int TARGET_RECORDS = 1_000;
    private static final String TARGET = "inst-target";

    /** Records in the store. */
    @Param({"10000", "1000000"})
    public int records;

    private InMemoryBackupStore store;
    private DefaultBackupService service;
    private BackupQuery firstPage;
    private BackupQuery tenthPage;
    private BackupQuery projectPage;
    private List<BackupRecord> sorted;

    /** Fills the store. */
    @Setup
    public void setUp() {
        store = new InMemoryBackupStore();
        String[] others = Fixtures.instanceIds(999);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        sorted = new ArrayList<>(TARGET_RECORDS);
        for (int i = 0; i < records; i++) {
            boolean target = i % (records / TARGET_RECORDS) == 0 && sorted.size() < TARGET_RECORDS;
            Instant begin = start.plusSeconds(i);
            BackupRecord record = BackupRecord.builder()
                    .id(String.format("b%08d", i))
                    .projectId(Fixtures.PROJECT)
                    .instanceId(target ? TARGET : others[i % others.length])
                    .name("backup-" + i)
                    .type(BackupType.MANUAL)
                    .status(BackupStatus.COMPLETED)
                    .datastore(Fixtures.DATASTORE)
                    .databases(List.of())
                    .beginTime(begin)
                    .endTime(begin.plusSeconds(60))
                    .sizeBytes(1L << 30)
                    .attempts(1)
                    .build();
            if (!(store.create(record) instanceof CreateResult.Created)) {
                throw new IllegalStateException("not created: " + record.id());
            }
            if (target) {
                sorted.add(record);
            }
        }
        sorted.sort(BackupQuery.NEWEST_FIRST);
        if (sorted.size() != TARGET_RECORDS) {
            throw new IllegalStateException("target has " + sorted.size() + " records");
        }
        SettableClock clock = new SettableClock();
        service = DefaultBackupService.builder()
                .store(store)
                .probe(new Fixtures.LeanProbe(new String[0]))
                .engine(new Fixtures.InstantEngine())
                .clock(clock)
                .scheduler(new ManualScheduler(clock))
                .validator(Fixtures.hibernateValidator())
                .build();
        firstPage = BackupQuery.forInstance(Fixtures.PROJECT, TARGET).limit(100).build();
        tenthPage = BackupQuery.forInstance(Fixtures.PROJECT, TARGET).offset(900).limit(100).build();
        projectPage = BackupQuery.forProject(Fixtures.PROJECT).limit(100).build();
        check(store.query(firstPage), 0);
        check(store.query(tenthPage), 900);
    }

    private void check(BackupPage page, int offset) {
        if (page.items().size() != 100 || page.totalCount() != TARGET_RECORDS
                || !page.items().get(0).equals(sorted.get(offset))) {
            throw new IllegalStateException("wrong page at offset " + offset + ": " + page.totalCount());
        }
    }

    /** First page of the instance, from the store. */
    @Benchmark
    public BackupPage storeFirstPage() {
        return store.query(firstPage);
    }

    /** Tenth page of the instance (offset 900), from the store. */
    @Benchmark
    public BackupPage storeTenthPage() {
        return store.query(tenthPage);
    }

    /** First page of the instance through the service (query validated first). */
    @Benchmark
    public BackupPage serviceFirstPage() {
        return service.list(firstPage);
    }

    /** First page across the project's instances, from the store. */
    @Benchmark
    public BackupPage storeProjectFirstPage() {
        return store.query(projectPage);
    }

    /** The floor: 100 records copied out of a list in order. */
    @Benchmark
    public List<BackupRecord> baselineCopy100() {
        return List.copyOf(sorted.subList(0, 100));
    }
}
