package dev.rdsbackup.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's entry point: {@code java -jar rds-backup-examples.jar [--instances N] [--seed S] [--help]} plays the
 * scenario; {@code java -jar rds-backup-examples.jar serve [--port N]} serves the RDS API over HTTP until Ctrl-C.
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
        // The JDK's HTTP server (serve mode) writes headers and body separately: without TCP_NODELAY each answer
        // waits for the client's delayed ACK (about 40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
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
        if (args.length > 0 && "serve".equals(args[0])) {
            return serve(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            return usageError(e, err);
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
        } else if (options.database() != null) {
            try (DemoDatabase database = DemoDatabase.open(options.database())) {
                new Scenario(options, out, database).play();
            }
        } else {
            new Scenario(options, out).play();
        }
        out.flush();
        return 0;
    }

    private static int usageError(DemoOptions.UsageException e, PrintStream err) {
        err.println("error: " + e.getMessage());
        err.println();
        err.print(DemoOptions.USAGE);
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * The {@code serve} mode: serves until the JVM is stopped (Ctrl-C).
     *
     * @param args what follows {@code serve}
     * @param out where the banner and events go
     * @param err where a usage error is printed
     * @return {@value #EXIT_USAGE} for a bad command line; otherwise it does not return before the JVM stops
     */
    private static int serve(String[] args, PrintStream out, PrintStream err) {
        ServeOptions options;
        try {
            options = ServeOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            return usageError(e, err);
        }
        DemoServer server = DemoServer.start(options, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
        }, "demo-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
