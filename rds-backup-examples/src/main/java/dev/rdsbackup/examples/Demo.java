package dev.rdsbackup.examples;

import java.io.PrintStream;

/**
 * The demo's entry point: {@code java -jar rds-backup-examples.jar [--instances N] [--seed S] [--help]}.
 *
 * <p>Exit codes: 0 when the scenario ran (or the help was printed), 2 for a bad command line. Start reading
 * at {@link DemoControlPlane} (the wiring) and {@link Scenario} (what a control plane calls).
 */
public final class Demo {

    /** Exit code of a bad command line. */
    public static final int EXIT_USAGE = 2;

    private Demo() {
    }

    /**
     * Runs the demo and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Hibernate Validator logs through JBoss Logging, which would pick java.util.logging (and print a
        // wall-clock timestamp to stderr): send it to SLF4J, configured by simplelogger.properties.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the demo in-process: the scenario goes to {@code out}, usage errors to {@code err}.
     *
     * @param args the command line
     * @param out where the scenario (or the help) is printed
     * @param err where a usage error is printed
     * @return the exit code: 0, or {@value #EXIT_USAGE} for a bad command line
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(DemoOptions.USAGE);
            err.flush();
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
        } else {
            new Scenario(options, out).play();
        }
        out.flush();
        return 0;
    }
}
