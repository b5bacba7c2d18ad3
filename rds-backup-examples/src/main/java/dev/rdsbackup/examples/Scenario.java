package dev.rdsbackup.examples;

import static dev.rdsbackup.examples.TextTable.bytes;
import static dev.rdsbackup.examples.TextTable.dateTime;
import static dev.rdsbackup.examples.TextTable.time;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.api.spi.InstanceInfo;
import dev.rdsbackup.api.spi.InstanceRole;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's story, step by step: what a control plane's API layer calls on the {@code BackupService}, and
 * what the library answers. Every random choice comes from the seed, every time from the virtual clock.
 */
public final class Scenario {

    static final String PROJECT = "proj-demo";
    private static final long GIB = 1L << 30;
    private static final String[][] FLEET_ENGINES = {
        {"MySQL", "8.0"}, {"PostgreSQL", "16"}, {"SQLServer", "2022"}, {"MySQL", "5.7"}, {"PostgreSQL", "15"}};

    private final DemoOptions options;
    private final PrintStream out;
    private final SplittableRandom random;
    private final DemoControlPlane cp;
    private final String storeName;
    private final List<String> instances = new ArrayList<>();
    private int step;

    /**
     * A scenario for these options.
     *
     * @param options fleet size and seed
     * @param out where everything is printed
     */
    public Scenario(DemoOptions options, PrintStream out) {
        this(options, out, null);
    }

    /**
     * A scenario for these options, keeping backup records in a store of the caller's.
     *
     * @param options fleet size and seed
     * @param out where everything is printed
     * @param database the database's store, or {@code null} to keep records in memory
     */
    public Scenario(DemoOptions options, PrintStream out, DemoDatabase database) {
        this.options = options;
        this.out = out;
        this.random = new SplittableRandom(options.seed());
        this.storeName = database == null ? "in-memory adapters" : database.description();
        this.cp = database == null
                ? new DemoControlPlane(random.split(), out)
                : new DemoControlPlane(random.split(), out, database.store());
    }

    /** Plays every step. */
    public void play() {
        out.println("rds-backup demo: " + options + " (" + storeName + ", virtual time from "
                + dateTime(cp.clock.instant()) + " UTC)");
        instances();
        backupWithProgress();
        ddlThenRetry();
        lockNeverObtained();
        refusals();
        cancel();
        instanceDeleted();
        fleet();
        listings();
        out.println();
        out.println("Done: " + cp.store.query(BackupQuery.forProject(PROJECT).build()).totalCount()
                + " backups stored, virtual time " + time(cp.clock.instant())
                + ", backup locks still held: " + cp.probe.heldLocks().size() + ".");
    }

    private void heading(String title) {
        out.println();
        out.println("== " + ++step + ". " + title + " ==");
    }

    private void instances() {
        heading("Instances");
        cp.probe.addInstance(PROJECT, "mysql-orders").datastore("MySQL", "8.0")
                .dataSizeBytes(gib(16, 48)).tableCount(1_000 + random.nextInt(4_000));
        cp.probe.addInstance(PROJECT, "mysql-orders-ro").datastore("MySQL", "8.0").role(InstanceRole.READ_REPLICA);
        cp.probe.addInstance(PROJECT, "pg-analytics").datastore("PostgreSQL", "16").dataSizeBytes(gib(4, 16))
                .partialBackupSupported(true).databases("sales", "events");
        cp.probe.addInstance(PROJECT, "mssql-erp").datastore("SQLServer", "2022").dataSizeBytes(gib(8, 32))
                .partialBackupSupported(true).databases("erp_core", "erp_archive");
        cp.probe.addInstance(PROJECT, "mysql-legacy").datastore("MySQL", "5.7").dataSizeBytes(gib(1, 4));
        instances.addAll(List.of("mysql-orders", "mysql-orders-ro", "pg-analytics", "mssql-erp", "mysql-legacy"));
        printInstances(instances);
    }

    private void backupWithProgress() {
        heading("A manual backup, with progress and an estimated time to completion");
        BackupHandle handle = create(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-orders")
                .name("orders-before-upgrade").description("Before the 8.0.40 upgrade").build());
        cp.settle(); // verification and the copy's start run in the background
        long total = cp.probe.instance(PROJECT, "mysql-orders").info().dataSizeBytes();
        for (int quarter = 1; quarter <= 3; quarter++) {
            cp.advance(Duration.ofSeconds(45 + random.nextInt(30)));
            cp.engine.progress(handle.backupId(), total * quarter / 4);
            cp.settle(); // the engine's report is handled on the service's scheduler
            BackupRecord now = cp.service.get(PROJECT, handle.backupId());
            now.progressIfAny().ifPresent(p -> cp.log.demo(String.format(Locale.ROOT,
                    "get %s: %s %d%% (%s of %s), estimated completion %s", now.id(), now.status(), p.percent(),
                    bytes(p.bytesCopied()), bytes(p.totalBytes()), time(p.estimatedCompletion()))));
        }
        cp.advance(Duration.ofSeconds(45 + random.nextInt(30)));
        cp.engine.complete(handle.backupId());
        cp.settle();
    }

    private void ddlThenRetry() {
        heading("DDL is running at the first verification: the automatic retry succeeds");
        cp.probe.instance(PROJECT, "pg-analytics").ddlRunningFor(1);
        BackupHandle handle = create(BackupRequest.builder().projectId(PROJECT).instanceId("pg-analytics")
                .name("sales-before-migration").databases("sales").build());
        cp.awaitEnd(handle);
    }

    private void lockNeverObtained() {
        heading("The backup lock is never obtained: the backup fails after the retry");
        cp.probe.instance(PROJECT, "mssql-erp").lockUnavailableFor(2);
        BackupHandle handle = create(BackupRequest.builder().projectId(PROJECT).instanceId("mssql-erp")
                .name("erp-month-end").build());
        cp.awaitEnd(handle);
    }

    private void refusals() {
        heading("Refused requests: nothing is stored");
        cp.log.demo("create a request that breaks several rules at once");
        refuse(BackupRequest.builder().projectId(PROJECT).instanceId("pg-analytics").name("1st backup!")
                .description("<b>quarterly</b> & 'final'").databases("sales", "sales").build());
        cp.log.demo("create a backup of the read replica mysql-orders-ro");
        refuse(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-orders-ro").name("replica-copy").build());
        cp.log.demo("create a partial backup of MySQL instance mysql-orders");
        refuse(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-orders").name("orders-partial")
                .databases("orders").build());
    }

    private void cancel() {
        heading("A backup cancelled while copying");
        BackupHandle handle = create(BackupRequest.builder().projectId(PROJECT).instanceId("pg-analytics")
                .name("analytics-adhoc").build());
        cp.settle();
        cp.advance(Duration.ofSeconds(20));
        cp.engine.progress(handle.backupId(), cp.probe.instance(PROJECT, "pg-analytics").info().dataSizeBytes() / 10);
        cp.settle();
        cp.log.demo("cancel " + handle.backupId());
        BackupRecord cancelled = cp.service.cancel(PROJECT, handle.backupId());
        cp.log.demo("-> " + cancelled.status() + "; engine copy stopped: " + (cp.engine.cancelCount(cancelled.id()) > 0)
                + ", backup locks held: " + cp.probe.heldLocks().size());
    }

    private void instanceDeleted() {
        heading("An instance is deleted: its manual backups are kept, its automated ones deleted");
        for (String name : List.of("auto-2025-12-30", "auto-2025-12-31")) {
            cp.awaitEnd(create(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-legacy").name(name)
                    .type(BackupType.AUTOMATED).build()));
            cp.advance(Duration.ofMinutes(1));
        }
        cp.awaitEnd(create(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-legacy")
                .name("legacy-final").description("Last copy before decommissioning").build()));
        cp.log.demo("the platform deletes instance mysql-legacy and tells the backup service");
        cp.probe.removeInstance(PROJECT, "mysql-legacy");
        InstanceDeletionReport report = cp.service.instanceDeleted(PROJECT, "mysql-legacy");
        cp.log.demo("-> cancelled " + report.cancelled() + ", automated deleting " + report.deleting()
                + ", manual retained " + report.retained());
        cp.settle();
        cp.log.demo("create another backup of mysql-legacy");
        refuse(BackupRequest.builder().projectId(PROJECT).instanceId("mysql-legacy").name("too-late").build());
    }

    private void fleet() {
        heading("A fleet of " + options.instances() + " more instances, backed up together");
        List<String> fleet = new ArrayList<>();
        for (int i = 1; i <= options.instances(); i++) {
            String id = String.format(Locale.ROOT, "fleet-%03d", i);
            String[] engine = FLEET_ENGINES[random.nextInt(FLEET_ENGINES.length)];
            var instance = cp.probe.addInstance(PROJECT, id).datastore(engine[0], engine[1])
                    .dataSizeBytes(gib(1, 64)).tableCount(random.nextInt(200_000));
            if (random.nextInt(4) == 0) {
                instance.ddlRunningFor(1); // some are busy with a schema change at the first try
            }
            fleet.add(id);
        }
        printInstances(fleet);
        List<BackupHandle> handles = new ArrayList<>();
        for (String id : fleet) {
            handles.add(create(BackupRequest.builder().projectId(PROJECT).instanceId(id).name("fleet-weekly")
                    .clientToken("weekly-" + id).build()));
        }
        cp.awaitEnd(handles.toArray(BackupHandle[]::new));
    }

    private void listings() {
        heading("Listings");
        for (String instance : List.of("pg-analytics", "mysql-legacy")) {
            out.println("Backups & Restorations of " + instance
                    + (cp.probe.describe(PROJECT, instance).isEmpty() ? " (deleted instance)" : "") + ":");
            printBackups(cp.service.list(BackupQuery.forInstance(PROJECT, instance).build()).items(), false);
            out.println();
        }
        BackupQuery query = BackupQuery.forProject(PROJECT).build();
        List<BackupRecord> all = new ArrayList<>();
        BackupPage page;
        do { // pages of at most 100, newest first
            page = cp.service.list(query);
            all.addAll(page.items());
            query = query.toBuilder().offset(query.offset() + page.items().size()).build();
        } while (page.hasMore());
        out.println("Backup Management, all instances of " + PROJECT + " (" + page.totalCount() + " backups):");
        printBackups(all, true);
    }

    private BackupHandle create(BackupRequest request) {
        cp.log.demo("create " + request.type() + " backup '" + request.name() + "' of " + request.instanceId()
                + (request.isPartial() ? ", databases " + request.databases() : ""));
        return cp.service.create(request);
    }

    private void refuse(BackupRequest request) {
        try {
            cp.service.create(request);
            throw new IllegalStateException("expected a refusal of " + request);
        } catch (BackupValidationException e) {
            cp.log.demo("-> refused: " + e.code() + " " + e.httpStatus() + ", " + e.violations().size()
                    + " violations:");
            TextTable table = new TextTable("FIELD", "RULE", "MESSAGE");
            for (Violation v : e.violations()) {
                table.row(v.field(), v.rule(), v.message());
            }
            table.print(out, "             ");
        } catch (BackupException e) {
            cp.log.demo("-> refused: " + e.code() + " " + e.httpStatus() + (e.retryable() ? " retryable" : "")
                    + ": " + e.getMessage());
        }
    }

    private void printInstances(List<String> ids) {
        TextTable table = new TextTable("INSTANCE", "ENGINE", "ROLE", "STATUS", ">DATA", ">TABLES", "PARTIAL",
                "DATABASES");
        for (String id : ids) {
            InstanceInfo i = cp.probe.instance(PROJECT, id).info();
            table.row(id, i.datastore(), i.role(), i.status(), bytes(i.dataSizeBytes()),
                    String.format(Locale.ROOT, "%,d", i.tableCount()), i.partialBackupSupported() ? "yes" : "no",
                    i.databases().isEmpty() ? null : String.join(",", i.databases()));
        }
        table.print(out, "  ");
    }

    private void printBackups(List<BackupRecord> backups, boolean withInstance) {
        TextTable table = withInstance
                ? new TextTable("ID", "INSTANCE", "NAME", "TYPE", "STATUS", "DATASTORE", "BEGIN", "END", ">SIZE")
                : new TextTable("ID", "NAME", "TYPE", "STATUS", "DATASTORE", "BEGIN", "END", ">SIZE", "DESCRIPTION");
        for (BackupRecord b : backups) {
            String size = b.sizeBytes() == 0 ? null : bytes(b.sizeBytes());
            if (withInstance) {
                table.row(b.id(), b.instanceId(), b.name(), b.type(), b.status(), b.datastore(),
                        dateTime(b.beginTime()), dateTime(b.endTime()), size);
            } else {
                // Descriptions passed the library's rules (no control characters, no <>&"'=!): safe in this table.
                table.row(b.id(), b.name(), b.type(), b.status(), b.datastore(), dateTime(b.beginTime()),
                        dateTime(b.endTime()), size, b.description());
            }
        }
        table.print(out, "  ");
    }

    private long gib(int min, int max) {
        return min * GIB + random.nextLong((max - min) * GIB);
    }
}
