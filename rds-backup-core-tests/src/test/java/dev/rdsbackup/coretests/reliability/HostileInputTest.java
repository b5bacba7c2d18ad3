package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of hostile inputs against every entry point. Each case must be refused with the right 4xx code
 * naming the field, store nothing, and leave no raw trace of the hostile text in the log (captured from
 * slf4j-simple, which writes to {@code System.err}) or in the exception message. A positive control proves
 * the capture sees the library's log lines.
 */
@DisplayName("Hostile input is refused with the right 4xx naming the field, stores nothing, and is never logged raw")
class HostileInputTest {
    private static final String PROJECT = "proj-1";
    private static final String OTHER_PROJECT = "proj-2";
    private static final String INSTANCE = "inst-1";
    /** Can back up chosen databases, and holds one: {@code sales}. */
    private static final String PARTIAL_INSTANCE = "inst-pg";

    private static final String ONE_MB = "Q" + "x".repeat(1 << 20);

    /** Hostile strings, named. Each is invalid as an id, a name, a client token and a description. */
    private static final Map<String, String> HOSTILE = new LinkedHashMap<>();

    static {
        HOSTILE.put("a 1 MB string", ONE_MB);
        HOSTILE.put("a control character (BEL)", "Night\u0007ly");
        HOSTILE.put("a NUL character", "Night\u0000ly");
        HOSTILE.put("CR/LF with a forged log line", "Nightly\r\n[main] INFO forged - backup deleted");
        HOSTILE.put("a right-to-left override", "Nightly\u202Egpj.exe");
        HOSTILE.put("a zero-width space", "Night\u200Bly");
        HOSTILE.put("an SQL fragment", "x'; DROP TABLE backups; --");
        HOSTILE.put("an HTML fragment", "<script>alert(\"owned\")</script>");
    }

    /** One row of the table. */
    record Case(String label, Consumer<Rig> call, ErrorCode code, String field, String hostile) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** A service over fakes in virtual time, seeded with a backup in each project. */
    static final class Rig {
        final SettableClock clock = new SettableClock();
        final ManualScheduler scheduler = ManualScheduler.strict(clock);
        final InMemoryBackupStore store = new InMemoryBackupStore();
        final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
        final FakeBackupEngine engine = new FakeBackupEngine();
        final AtomicLong ids = new AtomicLong();
        final BackupService service;
        final String ownBackup;
        final String otherProjectsBackup;

        Rig() {
            probe.addInstance(PROJECT, INSTANCE);
            probe.addInstance(PROJECT, PARTIAL_INSTANCE).datastore("PostgreSQL", "16").partialBackupSupported(true)
                    .databases("sales");
            probe.addInstance(OTHER_PROJECT, INSTANCE);
            service = DefaultBackupService.builder().store(store).probe(probe).engine(engine).clock(clock)
                    .scheduler(scheduler).validator(World.VALIDATOR).replicaId("replica-a")
                    .idGenerator(() -> "b" + ids.incrementAndGet()).build();
            ownBackup = service.create(valid().build()).backupId();
            otherProjectsBackup = service.create(valid().projectId(OTHER_PROJECT).build()).backupId();
            scheduler.advance(Duration.ofMinutes(5));
        }
    }

    private static BackupRequest.Builder valid() {
        return BackupRequest.builder().projectId(PROJECT).instanceId(INSTANCE).name("Nightly");
    }

    private static Case create(String label, Function<BackupRequest.Builder, BackupRequest.Builder> change,
            ErrorCode code, String field, String hostile) {
        return new Case("create with " + label, rig -> rig.service.create(change.apply(valid()).build()), code,
                field, hostile);
    }

    private static Case invalid(String label, Consumer<Rig> call, String field, String hostile) {
        return new Case(label, call, ErrorCode.INVALID_REQUEST, field, hostile);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        ErrorCode bad = ErrorCode.INVALID_REQUEST;

        // Nulls, empty and blank strings.
        cases.add(create("a null projectId", b -> b.projectId(null), bad, "projectId", null));
        cases.add(create("a null instanceId", b -> b.instanceId(null), bad, "instanceId", null));
        cases.add(create("a null name", b -> b.name(null), bad, "name", null));
        cases.add(create("a null type", b -> b.type(null), bad, "type", null));
        cases.add(create("a null database name", b -> b.databases(Arrays.asList((String) null)), bad,
                "databases[0]", null));
        for (String empty : List.of("", "   ")) {
            String what = empty.isEmpty() ? "an empty" : "a blank";
            cases.add(create(what + " projectId", b -> b.projectId(empty), bad, "projectId", null));
            cases.add(create(what + " instanceId", b -> b.instanceId(empty), bad, "instanceId", null));
            cases.add(create(what + " name", b -> b.name(empty), bad, "name", null));
            cases.add(create(what + " database name", b -> b.databases(empty), bad, "databases[0]", null));
            cases.add(invalid("get with " + what + " backupId", r -> r.service.get(PROJECT, empty), "backupId", null));
        }
        cases.add(create("an empty clientToken", b -> b.clientToken(""), bad, "clientToken", null));

        // Unicode look-alike letters: a Cyrillic 'а' looks like 'a' but is not an ASCII letter.
        cases.add(create("a Cyrillic look-alike letter in the name", b -> b.name("D\u0430ily"), bad, "name",
                "D\u0430ily"));
        cases.add(create("a Cyrillic look-alike letter in the instanceId", b -> b.instanceId("inst-\u0430"), bad,
                "instanceId", "inst-\u0430"));
        cases.add(create("a Cyrillic look-alike letter in the clientToken", b -> b.clientToken("t\u043Eken"), bad,
                "clientToken", "t\u043Eken"));

        // Every hostile string in every field of a create, and as an id everywhere an id is taken.
        for (Map.Entry<String, String> h : HOSTILE.entrySet()) {
            String label = h.getKey();
            String s = h.getValue();
            cases.add(create(label + " in the projectId", b -> b.projectId(s), bad, "projectId", s));
            cases.add(create(label + " in the instanceId", b -> b.instanceId(s), bad, "instanceId", s));
            cases.add(create(label + " in the name", b -> b.name(s), bad, "name", s));
            if (!s.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) || s.length() > 64) {
                // Printable ASCII is a valid client token: the SQL and HTML fragments are accepted there (and
                // never logged, see untrustedTextNeverLogged).
                cases.add(create(label + " in the clientToken", b -> b.clientToken(s), bad, "clientToken", s));
            }
            cases.add(create(label + " in the description", b -> b.description(s), bad, "description", s));
            boolean validDatabaseName = s.length() <= 64 && s.codePoints().noneMatch(c ->
                    Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
            if (validDatabaseName) {
                // Engines allow almost anything in a database name: it is refused because it does not exist.
                cases.add(create(label + " as a database name", b -> b.instanceId(PARTIAL_INSTANCE).databases(s),
                        ErrorCode.DATABASE_NOT_FOUND, "databases[0]", s));
            } else {
                cases.add(create(label + " as a database name", b -> b.instanceId(PARTIAL_INSTANCE).databases(s),
                        bad, "databases[0]", s));
            }
            cases.add(invalid("get with " + label + " as the backupId", r -> r.service.get(PROJECT, s), "backupId", s));
            cases.add(invalid("get with " + label + " as the projectId", r -> r.service.get(s, r.ownBackup),
                    "projectId", s));
            cases.add(invalid("cancel with " + label + " as the backupId", r -> r.service.cancel(PROJECT, s),
                    "backupId", s));
            cases.add(invalid("delete with " + label + " as the backupId", r -> r.service.delete(PROJECT, s),
                    "backupId", s));
            cases.add(invalid("delete-all with " + label + " as the second id",
                    r -> r.service.deleteAll(PROJECT, List.of(r.ownBackup, s)), "backupIds[1]", s));
            cases.add(invalid("instance deletion with " + label + " as the instanceId",
                    r -> r.service.instanceDeleted(PROJECT, s), "instanceId", s));
            cases.add(invalid("list with " + label + " as the projectId",
                    r -> r.service.list(BackupQuery.forProject(s).build()), "projectId", s));
            cases.add(invalid("list with " + label + " as the instanceId",
                    r -> r.service.list(BackupQuery.forInstance(PROJECT, s).build()), "instanceId", s));
        }

        // Out-of-range paging and windows.
        Instant t = SettableClock.DEFAULT_START;
        cases.add(invalid("list with offset -1", r -> r.service.list(BackupQuery.forProject(PROJECT).offset(-1).build()),
                "offset", null));
        cases.add(invalid("list with limit 0", r -> r.service.list(BackupQuery.forProject(PROJECT).limit(0).build()),
                "limit", null));
        cases.add(invalid("list with limit 101", r -> r.service.list(BackupQuery.forProject(PROJECT).limit(101).build()),
                "limit", null));
        cases.add(invalid("list with a window ending before it starts", r -> r.service.list(
                BackupQuery.forProject(PROJECT).window(t, t.minusSeconds(1)).build()), "windowEnd", null));
        cases.add(invalid("list with an empty window", r -> r.service.list(
                BackupQuery.forProject(PROJECT).window(t, t).build()), "windowEnd", null));
        cases.add(invalid("list with only a window start", r -> r.service.list(
                BackupQuery.forProject(PROJECT).window(t, null).build()), "windowEnd", null));
        cases.add(invalid("list with only a window end", r -> r.service.list(
                BackupQuery.forProject(PROJECT).window(null, t).build()), "windowStart", null));
        cases.add(invalid("list with a null query", r -> r.service.list(null), "query", null));

        // Unknown and other projects' ids.
        for (String op : List.of("get", "cancel", "delete")) {
            cases.add(new Case(op + " of an unknown id", r -> call(r, op, PROJECT, "no-such-backup"),
                    ErrorCode.BACKUP_NOT_FOUND, null, null));
            cases.add(new Case(op + " of another project's backup", r -> call(r, op, PROJECT, r.otherProjectsBackup),
                    ErrorCode.BACKUP_NOT_FOUND, null, null));
            cases.add(invalid(op + " with a null backupId", r -> call(r, op, PROJECT, null), "backupId", null));
            cases.add(invalid(op + " with a null projectId", r -> call(r, op, null, r.ownBackup), "projectId", null));
        }
        cases.add(new Case("instance deletion of an unknown instance reports nothing and stores nothing",
                r -> assertThat(r.service.instanceDeleted(PROJECT, "no-such-instance").retained()).isEmpty(),
                null, null, null));

        // Batch delete: sizes, duplicates, unknown and other projects' ids.
        cases.add(invalid("delete-all of no ids", r -> r.service.deleteAll(PROJECT, List.of()), "backupIds", null));
        cases.add(invalid("delete-all of a null list", r -> r.service.deleteAll(PROJECT, null), "backupIds", null));
        cases.add(invalid("delete-all of 51 ids", r -> r.service.deleteAll(PROJECT, fiftyOne()), "backupIds", null));
        cases.add(invalid("delete-all naming one id twice", r -> r.service.deleteAll(PROJECT,
                List.of(r.ownBackup, "b-7", r.ownBackup)), "backupIds[2]", null));
        cases.add(invalid("delete-all with a null id", r -> r.service.deleteAll(PROJECT,
                Arrays.asList(r.ownBackup, null)), "backupIds[1]", null));
        cases.add(new Case("delete-all of unknown and other projects' ids refuses each with 404", r -> {
            var outcomes = r.service.deleteAll(PROJECT, List.of("no-such-backup", r.otherProjectsBackup));
            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.accepted()).isFalse();
                assertThat(o.error().code()).isEqualTo(ErrorCode.BACKUP_NOT_FOUND);
                assertThat(o.error().httpStatus()).isEqualTo(404);
            });
        }, null, null, null));
        return cases.stream();
    }

    private static List<String> fiftyOne() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            ids.add("b-" + i);
        }
        return Collections.unmodifiableList(ids);
    }

    private static Object call(Rig rig, String op, String project, String id) {
        return switch (op) {
            case "get" -> rig.service.get(project, id);
            case "cancel" -> rig.service.cancel(project, id);
            default -> rig.service.delete(project, id);
        };
    }

    /** Runs {@code body} with {@code System.err} captured; answers what was written. */
    static String capturingLog(Runnable body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("hostile input")
    void refused(Case c) {
        Rig rig = new Rig();
        List<BackupRecord> before = rig.store.all();
        Throwable[] thrown = new Throwable[1];
        String log = capturingLog(() -> thrown[0] = catchThrowable(() -> c.call().accept(rig)));

        if (c.code() == null) {
            assertThat(thrown[0]).isNull();
        } else {
            assertThat(thrown[0]).isInstanceOf(BackupException.class);
            BackupException e = (BackupException) thrown[0];
            assertThat(e.code()).isEqualTo(c.code());
            assertThat(e.httpStatus()).isEqualTo(c.code().httpStatus()).isBetween(400, 499);
            if (c.code() == ErrorCode.INVALID_REQUEST) {
                assertThat(e).isInstanceOf(BackupValidationException.class);
                assertThat(((BackupValidationException) e).violations()).extracting(Violation::field)
                        .as("the violations name the field").containsOnly(c.field());
            } else if (c.field() != null) {
                assertThat(e.getMessage()).as("the message names the field").contains(c.field());
            }
            if (c.hostile() != null) {
                assertThat(e.getMessage()).as("the message never echoes the hostile text")
                        .doesNotContain(c.hostile()).doesNotContain(prefix(c.hostile()));
            }
        }
        assertThat(rig.store.all()).as("nothing is stored or changed").isEqualTo(before);
        if (c.hostile() != null) {
            assertThat(log).as("the hostile text is never logged raw")
                    .doesNotContain(c.hostile()).doesNotContain(prefix(c.hostile()));
        }
    }

    private static String prefix(String hostile) {
        return hostile.substring(0, Math.min(hostile.length(), 40));
    }

    @Test
    @DisplayName("positive control: the capture sees the library's INFO lines (so the assertions above can fail)")
    void captureSeesLibraryLogLines() {
        Rig rig = new Rig();
        String log = capturingLog(() -> rig.service.create(valid().name("Control-Line").build()));
        assertThat(log).contains("INFO dev.rdsbackup.core.internal.Admission")
                .contains("(Control-Line) of instance inst-1 in project proj-1 created as MANUAL");
    }

    @Test
    @DisplayName("valid but untrusted descriptions and client tokens are stored as given and never logged, from"
            + " create to deletion")
    void untrustedTextNeverLogged() {
        Rig rig = new Rig();
        String description = "ops; DROP TABLE backups -- \u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439";
        String token = "x'; DROP TABLE backups; --";
        BackupHandle[] handle = new BackupHandle[1];
        String log = capturingLog(() -> {
            handle[0] = rig.service.create(valid().name("Untrusted").instanceId(PARTIAL_INSTANCE)
                    .description(description).clientToken(token).build());
            rig.service.create(valid().name("Untrusted").instanceId(PARTIAL_INSTANCE).description(description)
                    .clientToken(token).build());
            rig.scheduler.advance(Duration.ofMinutes(5));
            rig.service.delete(PROJECT, handle[0].backupId());
            rig.scheduler.advance(Duration.ofMinutes(5));
        });
        assertThat(handle[0].completion().toCompletableFuture()).isCompletedWithValueMatching(r ->
                r.status() == BackupStatus.COMPLETED && description.equals(r.description())
                        && token.equals(r.clientToken()));
        assertThat(log).contains("Untrusted").doesNotContain(description).doesNotContain("DROP TABLE");
    }
}
