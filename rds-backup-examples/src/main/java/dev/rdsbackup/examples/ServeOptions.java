package dev.rdsbackup.examples;

/**
 * The command line of the demo's {@code serve} mode: {@code serve [--port N]}.
 *
 * @param port the loopback port to listen on, 0 to 65535 (0 picks a free one)
 */
public record ServeOptions(int port) {

    /** The port when {@code --port} is not given. */
    public static final int DEFAULT_PORT = 8080;

    /** Checks the port range. */
    public ServeOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
    }

    /**
     * Parses what follows {@code serve}. Options may be given as {@code --port N} or {@code --port=N}.
     *
     * @param args the arguments after {@code serve}
     * @return the options
     * @throws DemoOptions.UsageException naming what is wrong
     */
    public static ServeOptions parse(String... args) {
        int port = DEFAULT_PORT;
        for (int i = 0; i < args.length; i++) {
            String value;
            if (args[i].startsWith("--port=")) {
                value = args[i].substring("--port=".length());
            } else if ("--port".equals(args[i])) {
                if (++i >= args.length) {
                    throw new DemoOptions.UsageException("--port needs a value");
                }
                value = args[i];
            } else {
                throw new DemoOptions.UsageException("unknown serve option (serve takes --port N only)");
            }
            port = parsePort(value);
        }
        return new ServeOptions(port);
    }

    private static int parsePort(String value) {
        String v = value.trim();
        if (v.length() <= 5 && !v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            int port = Integer.parseInt(v);
            if (port <= 65535) {
                return port;
            }
        }
        throw new DemoOptions.UsageException("--port must be a whole number from 0 to 65535");
    }
}
