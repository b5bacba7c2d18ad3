package dev.rdsbackup.http;

import com.sun.net.httpserver.HttpServer;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.http.internal.JdkExchangeHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDS API served by the JDK's own HTTP server ({@code com.sun.net.httpserver}), with no framework:
 *
 * <pre>{@code
 * RdsBackupHttpServer server = RdsBackupHttpServer.builder()
 *         .service(backups)
 *         .authorizer(myAuthorizer)              // required
 *         .bindAddress(InetAddress.getByName("10.0.0.5"))
 *         .port(8080)
 *         .build()
 *         .start();
 * ...
 * server.stop(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>A server without a {@link RequestAuthorizer} is refused at {@link Builder#build()}, except through
 * {@link Builder#insecureLocalOnlyNoAuthentication()}, which binds to the loopback address only and logs a
 * warning at start: for a demo on one's own machine, never for a server others can reach. Bound unless set: the
 * loopback address, port 8080, 16 request threads of its own, {@link HttpLimits#defaults()}.
 *
 * <p>Run the JVM with {@code -Dsun.net.httpserver.nodelay=true}: the JDK server writes an answer's headers and body
 * separately, and without {@code TCP_NODELAY} each answer on a keep-alive connection waits for the client's delayed
 * ACK (about 40 ms). The property is the JDK's, read once per JVM, so this class does not set it for you.
 *
 * <p>Requests whose request line the JDK server itself cannot parse (for example a raw space or {@code |} in the
 * URI) are refused by it with a plain 400 before this layer sees them.
 */
public final class RdsBackupHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RdsBackupHttpServer.class);

    /** The port unless set. */
    public static final int DEFAULT_PORT = 8080;
    /** The request threads unless an executor or a count is set. */
    public static final int DEFAULT_THREADS = 16;

    private final Builder config;
    private final RdsApiHandler handler;
    /** The exchanges of the current start; a stopped adapter refuses everything, so each start gets a fresh one. */
    private JdkExchangeHandler exchanges;
    private HttpServer server;
    private ExecutorService ownExecutor;
    /** The bound port while started, else -1; read without the monitor, which a stop holds while it waits. */
    private volatile int boundPort = -1;

    private RdsBackupHttpServer(Builder config, RdsApiHandler handler) {
        this.config = config;
        this.handler = handler;
    }

    /** A new builder; {@link Builder#service} and an authorizer (or the insecure local option) are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts answering. A stopped server may be started again: it binds anew (with port 0,
     * on a new ephemeral port) and answers as a new one.
     *
     * @return this server
     * @throws UncheckedIOException if the address cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized RdsBackupHttpServer start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(config.bindAddress, config.port), config.backlog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + config.bindAddress.getHostAddress() + ":" + config.port, e);
        }
        exchanges = new JdkExchangeHandler(handler);
        s.createContext("/", exchanges);
        if (config.threads > 0) {
            ownExecutor = Executors.newFixedThreadPool(config.threads, new NamedThreads());
            s.setExecutor(ownExecutor);
        } else {
            s.setExecutor(config.executor);
        }
        s.start();
        server = s;
        boundPort = s.getAddress().getPort();
        if (config.insecure) {
            LOG.warn("INSECURE: the RDS backup API on http://{}:{} answers every caller without authentication "
                    + "(insecureLocalOnlyNoAuthentication); it is bound to loopback only: never use this in "
                    + "production", config.bindAddress.getHostAddress(), port());
        } else {
            LOG.info("RDS backup API listening on http://{}:{}", config.bindAddress.getHostAddress(), port());
        }
        return this;
    }

    /**
     * The port the server listens on (useful with port 0); answers at once, also while {@link #stop} waits for
     * requests in flight.
     *
     * @return the bound port
     * @throws IllegalStateException if not started
     */
    public int port() {
        int port = boundPort;
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    /** The address the server binds (or will bind). */
    public InetAddress bindAddress() {
        return config.bindAddress;
    }

    /**
     * Stops: new requests get 503 at once, requests in flight get up to {@code grace} to finish, then the socket
     * is closed and the server's own threads end. Calling it again, or before start, does nothing.
     *
     * @param grace how long requests in flight may take
     * @return {@code true} if every request in flight finished within the grace period
     */
    public synchronized boolean stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (server == null) {
            return true;
        }
        boolean drained;
        try {
            drained = exchanges.stopAndAwait(grace);
            server.stop(0);
            if (ownExecutor != null) {
                ownExecutor.shutdown();
                drained &= ownExecutor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
            drained = false;
        }
        server = null;
        ownExecutor = null;
        boundPort = -1;
        LOG.info("RDS backup API stopped{}", drained ? "" : " (some requests were cut off)");
        return drained;
    }

    /** Stops with a grace period of 5 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** Names the server's own threads. */
    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "rds-backup-http-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Builds an {@link RdsBackupHttpServer}. Not thread-safe. */
    public static final class Builder {
        private final RdsApiHandler.Builder handler = RdsApiHandler.builder();
        private boolean hasService;
        private boolean hasAuthorizer;
        private boolean insecure;
        private InetAddress bindAddress;
        private int port = DEFAULT_PORT;
        private int backlog = 128;
        private int threads = DEFAULT_THREADS;
        private java.util.concurrent.Executor executor;

        private Builder() {
        }

        /**
         * Sets the backup service to serve (required).
         *
         * @param service the service
         * @return this builder
         */
        public Builder service(BackupService service) {
            handler.service(service);
            hasService = true;
            return this;
        }

        /**
         * Sets the authentication and authorization hook (required, unless
         * {@link #insecureLocalOnlyNoAuthentication()}).
         *
         * @param authorizer decides whether a caller may act on the project in the path
         * @return this builder
         */
        public Builder authorizer(RequestAuthorizer authorizer) {
            handler.authorizer(authorizer);
            hasAuthorizer = true;
            return this;
        }

        /**
         * Serves without any authentication: every caller may act on every project. Only for a demo on one's own
         * machine: the server then binds to the loopback address only (setting another address fails the build)
         * and logs a warning when it starts.
         *
         * @return this builder
         */
        public Builder insecureLocalOnlyNoAuthentication() {
            insecure = true;
            return this;
        }

        /**
         * Sets the address to bind; the loopback address unless set.
         *
         * @param bindAddress the address
         * @return this builder
         */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /**
         * Sets the port; {@value RdsBackupHttpServer#DEFAULT_PORT} unless set, 0 for any free port.
         *
         * @param port 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the connection backlog; 128 unless set.
         *
         * @param backlog 1 or more
         * @return this builder
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be 1 or more, was " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Runs requests on a pool of this many threads of the server's own, ended by {@link #stop}; replaces an
         * executor set before. {@value RdsBackupHttpServer#DEFAULT_THREADS} unless set.
         *
         * @param threads 1 or more
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be 1 or more, was " + threads);
            }
            this.threads = threads;
            this.executor = null;
            return this;
        }

        /**
         * Runs requests on the host's executor, which stays the host's (never shut down by the server); replaces
         * a thread count set before.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            this.threads = 0;
            return this;
        }

        /**
         * Sets the input limits; {@link HttpLimits#defaults()} unless set.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(HttpLimits limits) {
            handler.limits(limits);
            return this;
        }

        /**
         * Sets the error table; {@link DbsErrorTable#defaults()} unless set.
         *
         * @param errorTable the table
         * @return this builder
         */
        public Builder errorTable(DbsErrorTable errorTable) {
            handler.errorTable(errorTable);
            return this;
        }

        /**
         * Builds the server, not yet started.
         *
         * @return the server
         * @throws IllegalStateException naming what is missing or contradictory
         */
        public RdsBackupHttpServer build() {
            if (!hasService) {
                throw new IllegalStateException("service is required");
            }
            if (insecure && hasAuthorizer) {
                throw new IllegalStateException(
                        "authorizer and insecureLocalOnlyNoAuthentication() exclude each other: choose one");
            }
            if (insecure) {
                if (bindAddress != null && !bindAddress.isLoopbackAddress()) {
                    throw new IllegalStateException("bindAddress must be a loopback address with "
                            + "insecureLocalOnlyNoAuthentication()");
                }
                handler.authorizer((request, projectId) -> AuthDecision.ALLOW);
            } else if (!hasAuthorizer) {
                throw new IllegalStateException("authorizer is required: the project in the path is never trusted on "
                        + "its own (insecureLocalOnlyNoAuthentication() serves a local demo without one)");
            }
            if (bindAddress == null) {
                bindAddress = InetAddress.getLoopbackAddress();
            }
            return new RdsBackupHttpServer(this, handler.build());
        }
    }
}
