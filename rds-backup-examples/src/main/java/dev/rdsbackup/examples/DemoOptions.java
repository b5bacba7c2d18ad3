package dev.rdsbackup.examples;

import java.util.Locale;

/**
 * The demo's command line: {@code [--instances N] [--seed S] [--database embedded|URL] [--help]}.
 *
 * @param instances how many extra instances the fleet step backs up, 0 to {@value #MAX_INSTANCES}
 * @param seed the seed of every random choice (retry jitter, data sizes, the fleet's engines)
 * @param help {@code true} if only the usage should be printed
 * @param database where backup records live: {@code null} in memory, {@code embedded} for an embedded
 *     PostgreSQL, or a PostgreSQL JDBC URL
 */
public record DemoOptions(int instances, long seed, boolean help, String database) {

    /** Fleet instances when {@code --instances} is not given. */
    public static final int DEFAULT_INSTANCES = 3;
    /** The most fleet instances: one page of the project-wide listing holds them all. */
    public static final int MAX_INSTANCES = 100;
    /** The seed when {@code --seed} is not given. */
    public static final long DEFAULT_SEED = 42;

    /** What {@code --help} prints, and what follows a usage error. */
    public static final String USAGE = String.join("\n",
            "Usage: java -jar rds-backup-examples.jar [--instances N] [--seed S] [--help]",
            "       java -jar rds-backup-examples.jar serve [--port N]",
            "",
            "Plays a manual-backup scenario against rds-backup-core wired to in-memory adapters, in virtual time.",
            "",
            "  --instances N  extra instances backed up together in the fleet step, 0 to " + MAX_INSTANCES
                    + " (default " + DEFAULT_INSTANCES + ")",
            "  --seed S       seed of every random choice; the same seed prints the same output (default "
                    + DEFAULT_SEED + ")",
            "  --database D   keep backup records in PostgreSQL with rds-backup-jdbc: 'embedded' starts one, or a",
            "                 JDBC URL such as jdbc:postgresql://localhost/db?user=u&password=p (default: in memory)",
            "  --help         print this help and exit",
            "",
            "serve: the same control plane in real time, behind the RDS API v3 over HTTP on 127.0.0.1, without",
            "authentication, until Ctrl-C; it prints curl commands to try.",
            "  --port N       the port, 0 to 65535, 0 for any free one (default " + ServeOptions.DEFAULT_PORT + ")",
            "");

    /** Checks the range of {@code instances}. */
    public DemoOptions {
        if (instances < 0 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("instances must be 0 to " + MAX_INSTANCES + ", was " + instances);
        }
    }

    /**
     * Options with backup records in memory.
     *
     * @param instances how many extra instances the fleet step backs up
     * @param seed the seed of every random choice
     * @param help {@code true} if only the usage should be printed
     */
    public DemoOptions(int instances, long seed, boolean help) {
        this(instances, seed, help, null);
    }

    /** The defaults: {@value #DEFAULT_INSTANCES} fleet instances, seed {@value #DEFAULT_SEED}. */
    public static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_INSTANCES, DEFAULT_SEED, false);
    }

    /**
     * Parses the command line. Options may be given as {@code --name value} or {@code --name=value}.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException naming what is wrong
     */
    public static DemoOptions parse(String... args) {
        int instances = DEFAULT_INSTANCES;
        long seed = DEFAULT_SEED;
        String database = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    return new DemoOptions(instances, seed, true, database);
                }
                case "--instances" -> {
                    value = value != null ? value : valueAfter(args, ++i, name);
                    instances = parseInstances(value);
                }
                case "--seed" -> {
                    value = value != null ? value : valueAfter(args, ++i, name);
                    seed = parseSeed(value);
                }
                case "--database" -> {
                    value = value != null ? value : valueAfter(args, ++i, name);
                    database = parseDatabase(value);
                }
                default -> throw new UsageException("unknown option '" + printable(arg) + "'");
            }
        }
        return new DemoOptions(instances, seed, false, database);
    }

    private static String parseDatabase(String value) {
        if (value.equals("embedded") || value.startsWith("jdbc:postgresql:")) {
            return value;
        }
        throw new UsageException("--database must be 'embedded' or a jdbc:postgresql: URL, was '" + printable(value)
                + "'");
    }

    private static String valueAfter(String[] args, int index, String name) {
        if (index >= args.length) {
            throw new UsageException(name + " needs a value");
        }
        return args[index];
    }

    private static int parseInstances(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= MAX_INSTANCES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--instances must be a whole number from 0 to " + MAX_INSTANCES
                + ", was '" + printable(value) + "'");
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be a whole number (a Java long), was '" + printable(value) + "'");
        }
    }

    /** Echoes user input safely: at most 40 printable ASCII characters, anything else as '?'. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(40).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return s.codePointCount(0, s.length()) > 40 ? b + "..." : b.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "--instances %d --seed %d", instances, seed);
    }

    /** A command line the demo cannot run with; the message says why. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong with the command line
         */
        public UsageException(String message) {
            super(message);
        }
    }
}
