package dev.rdsbackup.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.http.AuthDecision;
import dev.rdsbackup.http.RdsBackupHttpServer;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Figure 6: the RDS API over HTTP under load. 50 client threads, each with its own keep-alive HTTP/1.1
 * connection over loopback (a raw socket: the client costs next to nothing), send creates or listings to
 * {@code RdsBackupHttpServer} (the library: routing, authorization hook, query or body parsing, the service, JSON
 * writing) and, in the same run, to the JDK's {@code HttpServer} answering a fixed JSON document (the baseline:
 * the same server, the same number of request threads, the same request and the very same answer bytes, captured
 * from the library at set-up). Throughput mode gives requests per second, sample mode the latency percentiles
 * (p99).
 *
 * <p>The library's service is the one of figure 2 ({@code InMemoryBackupStore}, a probe that verifies at once, an
 * engine that copies at once, immediate work on the calling thread), so a create answered 200 is a whole backup
 * lifecycle; each client thread creates on instances of its own (one backup may build per instance). A listing is
 * one page of 10 of an instance's 10 backups. Servers and store are fresh every iteration. Logging is off.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
// The JDK server sends headers and body in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
// delayed ACK hold every answer for about 40 ms (about 1,000 requests per second whatever the server does).
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dsun.net.httpserver.nodelay=true"})
// Warm-up is long on purpose: with 50 client and 8 server threads on 2 cores, the JIT's compiler threads get a small
// share of the CPU, and the library's deeper call graph (validation, the lifecycle, Jackson) kept getting faster for
// about 80 seconds (about 4,100 creates per second in the second 4-second warm-up iteration, about 13,000 after
// 80 s), where the fixed document's rate levels off within about 20 s. Two 3-second warm-ups measured the JIT more
// than the library.
@Warmup(iterations = 20, time = 4)
@Measurement(iterations = 5, time = 4)
@Threads(HttpLoadBenchmark.CONNECTIONS)
public class HttpLoadBenchmark {
    /** Client connections, one per benchmark thread. */
    public static final int CONNECTIONS = 50;
    /** Request threads of each server. */
    public static final int SERVER_THREADS = 8;
    /** Instances the creates cycle through (each thread takes every 50th). */
    public static final int INSTANCES = 5_000;

    private static final String AUTHORIZATION = "Bearer bench-key";
    private static final String LIST_PATH = "/v3/" + Fixtures.PROJECT + "/backups?instance_id=inst-list&limit=10";
    private static final String CREATE_PATH = "/v3/" + Fixtures.PROJECT + "/backups";

    /** Both servers, fresh every iteration. */
    @State(Scope.Benchmark)
    public static class Servers {
        final String[] instanceIds = Fixtures.instanceIds(INSTANCES);
        ScheduledThreadPoolExecutor timer;
        RdsBackupHttpServer library;
        HttpServer baseline;
        ExecutorService baselineThreads;
        volatile byte[] fixedList;
        volatile byte[] fixedCreate;

        /** Starts the library's server over a fresh store, captures its answers, starts the baseline. */
        @Setup(Level.Iteration)
        public void setUp() throws IOException {
            String[] known = Arrays.copyOf(instanceIds, INSTANCES + 2);
            known[INSTANCES] = "inst-list";
            known[INSTANCES + 1] = "inst-sample";
            timer = Fixtures.timer();
            DefaultBackupService service = DefaultBackupService.builder()
                    .store(new InMemoryBackupStore())
                    .probe(new Fixtures.LeanProbe(known))
                    .engine(new Fixtures.InstantEngine())
                    .clock(Clock.systemUTC())
                    .scheduler(Fixtures.inline(timer))
                    .build();
            for (int i = 0; i < 10; i++) {
                service.create(BackupRequest.builder().projectId(Fixtures.PROJECT).instanceId("inst-list")
                        .name("listed-" + i).description("one of ten").build());
            }
            library = RdsBackupHttpServer.builder()
                    .service(service)
                    .authorizer((request, project) -> AUTHORIZATION.equals(request.header("Authorization"))
                            ? AuthDecision.ALLOW : AuthDecision.UNAUTHENTICATED)
                    .port(0)
                    .threads(SERVER_THREADS)
                    .build()
                    .start();
            try (Connection c = new Connection(library.port())) {
                fixedList = c.exchange(Connection.get(LIST_PATH), 200);
                fixedCreate = c.exchange(Connection.post(CREATE_PATH, createBody("inst-sample", "sample")), 200);
            }
            baselineThreads = Executors.newFixedThreadPool(SERVER_THREADS);
            baseline = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            baseline.setExecutor(baselineThreads);
            baseline.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    byte[] answer = "POST".equals(exchange.getRequestMethod()) ? fixedCreate : fixedList;
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.getResponseHeaders().set("X-Request-Id", "0123456789abcdef0123456789abcdef");
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            });
            baseline.start();
        }

        /** Stops both servers. */
        @TearDown(Level.Iteration)
        public void tearDown() {
            library.stop(Duration.ZERO);
            baseline.stop(0);
            baselineThreads.shutdownNow();
            timer.shutdownNow();
        }
    }

    /** One thread's connections and its next create. */
    @State(Scope.Thread)
    public static class Client {
        Connection library;
        Connection baseline;
        byte[] list;
        int thread;
        long next;
        String[] instanceIds;

        /**
         * Connects to both servers.
         *
         * @param servers the servers of this iteration
         * @param params JMH's thread parameters
         */
        @Setup(Level.Iteration)
        public void setUp(Servers servers, ThreadParams params) throws IOException {
            library = new Connection(servers.library.port());
            baseline = new Connection(servers.baseline.getAddress().getPort());
            list = Connection.get(LIST_PATH);
            thread = params.getThreadIndex();
            instanceIds = servers.instanceIds;
        }

        /** Closes the connections. */
        @TearDown(Level.Iteration)
        public void tearDown() {
            library.close();
            baseline.close();
        }

        byte[] nextCreate() {
            String instance = instanceIds[(int) ((thread + CONNECTIONS * next) % INSTANCES)];
            String name = String.format(Locale.ROOT, "bk-%02d-%08d", thread, next++);
            return Connection.post(CREATE_PATH, createBody(instance, name));
        }
    }

    static String createBody(String instanceId, String name) {
        return "{\"instance_id\":\"" + instanceId + "\",\"name\":\"" + name + "\",\"description\":\"load test\"}";
    }

    /** The library: one create, a whole backup lifecycle, answered 200. */
    @Benchmark
    public byte[] libraryCreate(Client c) {
        return c.library.exchange(c.nextCreate(), 200);
    }

    /** The baseline: the same create request, answered with the library's create answer. */
    @Benchmark
    public byte[] baselineCreate(Client c) {
        return c.baseline.exchange(c.nextCreate(), 200);
    }

    /** The library: one page of 10 backups of an instance. */
    @Benchmark
    public byte[] libraryList(Client c) {
        return c.library.exchange(c.list, 200);
    }

    /** The baseline: the same listing request, answered with the library's page. */
    @Benchmark
    public byte[] baselineList(Client c) {
        return c.baseline.exchange(c.list, 200);
    }

    /** A keep-alive HTTP/1.1 connection that sends a request and reads a {@code Content-Length} answer. */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 4096);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
        }

        static byte[] get(String path) {
            return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTHORIZATION + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] post(String path, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTHORIZATION
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            return request;
        }

        /** Sends one request and reads the answer's body, failing on another status. */
        byte[] exchange(byte[] request, int expectedStatus) {
            try {
                out.write(request);
                out.flush();
                String head = readHead();
                int status = Integer.parseInt(head.substring(9, 12));
                int length = contentLength(head);
                byte[] body = in.readNBytes(length);
                if (status != expectedStatus || body.length != length) {
                    throw new IllegalStateException("answered " + status + ": "
                            + new String(body, StandardCharsets.UTF_8));
                }
                return body;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String readHead() throws IOException {
            StringBuilder head = new StringBuilder(256);
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                head.append((char) b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
            }
            return head.toString();
        }

        private static int contentLength(String head) {
            int at = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
            if (at < 0) {
                return 0;
            }
            int end = head.indexOf('\r', at + 2);
            return Integer.parseInt(head.substring(at + "\r\ncontent-length:".length(), end).trim());
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
