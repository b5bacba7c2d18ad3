package dev.rdsbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The demo")
class DemoTest {

    /** What one in-process run printed and returned. */
    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return Arrays.asList(out.split("\n"));
        }

        /** The lines of one step, from its heading to the next. */
        String step(int number) {
            int start = out.indexOf("== " + number + ". ");
            int end = out.indexOf("\n== " + (number + 1) + ". ", start);
            assertThat(start).as("step %d is printed", number).isNotNegative();
            return out.substring(start, end < 0 ? out.length() : end);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS) // one run, read by every test
    @DisplayName("with the default options plays every step of the scenario")
    class DefaultScenario {
        private final Run run = run();

        @Test
        @DisplayName("and exits 0 with nothing on stderr")
        void exitsCleanly() {
            assertThat(run.exitCode()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).startsWith("rds-backup demo: --instances 3 --seed 42");
        }

        @Test
        @DisplayName("listing instances of several engines, one of them a read replica")
        void instances() {
            assertThat(run.step(1)).contains("mysql-orders     MySQL 8.0       PRIMARY")
                    .contains("mysql-orders-ro  MySQL 8.0       READ_REPLICA")
                    .contains("pg-analytics     PostgreSQL 16").contains("mssql-erp        SQLServer 2022")
                    .containsPattern("mssql-erp .* yes +erp_core,erp_archive");
        }

        @Test
        @DisplayName("showing a backup's progress with an estimated completion, then its completion")
        void progress() {
            String step = run.step(2);
            assertThat(step).contains("event  bk-0001 CREATED    MANUAL 'orders-before-upgrade' of mysql-orders")
                    .contains("event  bk-0001 COPYING    verified on attempt 1, backup lock held")
                    .containsPattern("demo   get bk-0001: BUILDING 2[45]% \\(.+ GiB of .+ GiB\\), estimated completion "
                            + "\\d\\d:\\d\\d:\\d\\d")
                    .containsPattern("demo   get bk-0001: BUILDING 50%")
                    .containsPattern("demo   get bk-0001: BUILDING 7[45]%")
                    .containsPattern("event  bk-0001 COMPLETED  .+ GiB stored in \\dm\\d\\ds");
        }

        @Test
        @DisplayName("retrying a verification blocked by DDL and completing on the second attempt")
        void ddlRetry() {
            assertThat(run.step(3))
                    .containsPattern("bk-0002 RETRY      attempt 1 failed: VERIFICATION_DDL_RUNNING .*; retrying in "
                            + "\\d\\d\\.\\ds")
                    .contains("bk-0002 COPYING    verified on attempt 2")
                    .contains("bk-0002 COMPLETED");
        }

        @Test
        @DisplayName("failing a backup whose backup lock is not obtained at either attempt")
        void lockNeverObtained() {
            assertThat(run.step(4)).contains("bk-0003 RETRY      attempt 1 failed: VERIFICATION_LOCK_NOT_OBTAINED")
                    .contains("bk-0003 FAILED     VERIFICATION_LOCK_NOT_OBTAINED: Verification failed after 2 attempts")
                    .doesNotContain("bk-0003 COPYING");
        }

        @Test
        @DisplayName("refusing a bad request with every violation, a read replica and a partial MySQL backup")
        void refusals() {
            assertThat(run.step(5)).contains("refused: INVALID_REQUEST 400, 3 violations:")
                    .containsPattern("databases +DistinctElements +must not contain the same element twice")
                    .containsPattern("description +BackupDescription +must be at most 256 characters")
                    .containsPattern("name +BackupName +must be 4 to 64 characters")
                    .contains("refused: INSTANCE_NOT_PRIMARY 400: DB instance mysql-orders-ro is a read replica")
                    .contains("refused: PARTIAL_BACKUP_NOT_SUPPORTED 400")
                    .doesNotContain("quarterly").doesNotContain("<b>");
        }

        @Test
        @DisplayName("cancelling a copying backup, stopping the engine and releasing the lock")
        void cancel() {
            assertThat(run.step(6)).contains("demo   cancel bk-0004").contains("bk-0004 CANCELLED  on request")
                    .contains("-> CANCELLED; engine copy stopped: true, backup locks held: 0");
        }

        @Test
        @DisplayName("keeping the manual backup of a deleted instance and deleting its automated ones")
        void instanceDeleted() {
            assertThat(run.step(7)).contains("bk-0005 CREATED    AUTOMATED 'auto-2025-12-30' of mysql-legacy")
                    .contains("bk-0005 DELETED").contains("bk-0006 DELETED").doesNotContain("bk-0007 DELETING")
                    .contains("-> cancelled [], automated deleting [bk-0006, bk-0005], manual retained [bk-0007]")
                    .contains("refused: INSTANCE_NOT_FOUND 404");
            String deletedListing = run.out().substring(run.out().indexOf("of mysql-legacy (deleted instance):"),
                    run.out().indexOf("Backup Management"));
            assertThat(deletedListing).contains("bk-0007  legacy-final  MANUAL  COMPLETED  MySQL 5.7")
                    .contains("Last copy before decommissioning")
                    .doesNotContain("bk-0005").doesNotContain("bk-0006");
        }

        @Test
        @DisplayName("backing up the fleet and printing the per-instance and project-wide tables")
        void fleetAndListings() {
            assertThat(run.step(8)).contains("fleet-001").contains("fleet-003").doesNotContain("fleet-004");
            assertThat(run.step(9)).contains("Backups & Restorations of pg-analytics:")
                    .contains("Backup Management, all instances of proj-demo (8 backups):")
                    .containsPattern("ID +INSTANCE +NAME +TYPE +STATUS +DATASTORE +BEGIN +END +SIZE")
                    .containsPattern("bk-0003  mssql-erp +erp-month-end +MANUAL  FAILED +SQLServer 2022")
                    .containsPattern("bk-0004  pg-analytics +analytics-adhoc +MANUAL  CANCELLED");
            assertThat(run.lines()).filteredOn(l -> l.matches("  bk-00(08|09|10)  fleet-00\\d .*COMPLETED.*"))
                    .hasSize(3);
            assertThat(run.out())
                    .containsPattern("\nDone: 8 backups stored, virtual time \\d\\d:\\d\\d:\\d\\d, backup locks still held: 0\\.\n$");
        }

        @Test
        @DisplayName("never printing a description in an event line")
        void descriptionsStayOutOfEvents() {
            assertThat(run.lines()).filteredOn(l -> l.contains("] event "))
                    .isNotEmpty()
                    .noneMatch(l -> l.contains("Before the 8.0.40 upgrade") || l.contains("decommissioning"));
        }
    }

    @Nested
    @DisplayName("is deterministic")
    class Deterministic {

        @Test
        @DisplayName("printing the same output for the same seed")
        void sameSeedSameOutput() {
            assertThat(run("--seed", "7", "--instances", "5").out()).isEqualTo(run("--seed=7", "--instances=5").out());
            assertThat(run().out()).isEqualTo(run("--seed", "42").out());
        }

        @Test
        @DisplayName("printing a different run for a different seed, which also ends cleanly")
        void otherSeedOtherOutput() {
            Run other = run("--seed", "-123456789");
            assertThat(other.exitCode()).isZero();
            assertThat(other.out()).isNotEqualTo(run().out())
                    .contains("Done: 8 backups stored").contains("backup locks still held: 0.");
        }

        @Test
        @DisplayName("backing up as many fleet instances as asked for")
        void fleetSize() {
            Run none = run("--instances", "0");
            assertThat(none.out()).contains("A fleet of 0 more instances").contains("Done: 5 backups stored");
            Run twelve = run("--instances", "12");
            assertThat(twelve.out()).contains("Done: 17 backups stored").contains("(17 backups)");
            assertThat(twelve.lines()).filteredOn(l -> l.matches("  bk-\\d{4}  fleet-0\\d\\d .*COMPLETED.*"))
                    .hasSize(12);
        }
    }

    @Nested
    @DisplayName("reads its command line")
    class CommandLine {

        @Test
        @DisplayName("printing the usage and exiting 0 for --help")
        void help() {
            Run help = run("--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).startsWith("Usage: java -jar rds-backup-examples.jar").contains("--instances N")
                    .contains("--seed S").doesNotContain("== 1.");
        }

        @Test
        @DisplayName("refusing a bad --instances value with a usage error and exit code 2")
        void badInstances() {
            for (String bad : List.of("lots", "-1", "101", "3.5", "")) {
                Run run = run("--instances", bad);
                assertThat(run.exitCode()).as("--instances '%s'", bad).isEqualTo(Demo.EXIT_USAGE);
                assertThat(run.err()).startsWith("error: --instances must be a whole number from 0 to 100, was '"
                        + bad + "'").contains("Usage: ");
                assertThat(run.out()).as("nothing is played").isEmpty();
            }
        }

        @Test
        @DisplayName("refusing a missing value, a bad seed and an unknown option with exit code 2")
        void otherUsageErrors() {
            assertThat(run("--instances").err()).startsWith("error: --instances needs a value");
            assertThat(run("--seed", "abc").err()).startsWith("error: --seed must be a whole number");
            Run unknown = run("--fast");
            assertThat(unknown.exitCode()).isEqualTo(Demo.EXIT_USAGE);
            assertThat(unknown.err()).startsWith("error: unknown option '--fast'");
        }

        @Test
        @DisplayName("accepting --name value and --name=value forms")
        void parsesBothForms() {
            assertThat(DemoOptions.parse("--instances=7", "--seed", "-3")).isEqualTo(new DemoOptions(7, -3, false));
            assertThat(DemoOptions.parse()).isEqualTo(DemoOptions.defaults());
        }

        @Test
        @DisplayName("echoing unprintable input safely in its error message")
        void echoesSafely() {
            assertThat(run("--instances", "1\u001b[2J").err()).contains("was '1?[2J'");
        }
    }

    @Test
    @DisplayName("on an embedded PostgreSQL (--database embedded) prints what it prints in memory, after its first line")
    void onEmbeddedPostgres() {
        Run inMemory = run("--instances", "2");
        Run postgres = run("--instances", "2", "--database", "embedded");

        assertThat(postgres.exitCode()).isZero();
        assertThat(postgres.lines().get(0)).contains("PostgreSQL").contains("store (embedded)");
        assertThat(postgres.lines().subList(1, postgres.lines().size()))
                .isEqualTo(inMemory.lines().subList(1, inMemory.lines().size()));
    }

    @Test
    @DisplayName("refuses a --database that is neither embedded nor a PostgreSQL JDBC URL")
    void refusesAnUnknownDatabase() {
        Run run = run("--database", "mysql://somewhere");

        assertThat(run.exitCode()).isEqualTo(Demo.EXIT_USAGE);
        assertThat(run.err()).contains("--database must be 'embedded' or a jdbc:postgresql: URL");
    }
}
