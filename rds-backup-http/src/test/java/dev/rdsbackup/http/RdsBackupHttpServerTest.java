package dev.rdsbackup.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.testkit.BackupFixture;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The JDK server binding")
class RdsBackupHttpServerTest {

    private final InMemoryBackupStore store = new InMemoryBackupStore();
    private final BackupFixture fixture = BackupFixture.builder().store(store).strictThreads(false)
            .customize(b -> b.validator(SharedValidator.VALIDATOR)).build();
    private RdsBackupHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    private RdsBackupHttpServer start(RdsBackupHttpServer.Builder b) {
        server = b.service(fixture.service()).port(0).threads(2).build().start();
        return server;
    }

    /** Sends raw bytes over one connection and reads the whole answer (the server closes after it). */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).header("Authorization", HandlerRig.AUTH).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    @DisplayName("refuses to be built")
    class Build {
        @Test
        @DisplayName("without an authorizer, saying why")
        void noAuthorizer() {
            assertThatThrownBy(() -> RdsBackupHttpServer.builder().service(fixture.service()).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("authorizer is required");
        }

        @Test
        @DisplayName("insecure on an address other than loopback, or insecure with an authorizer")
        void insecureMisuse() throws IOException {
            assertThatThrownBy(() -> RdsBackupHttpServer.builder().service(fixture.service())
                    .insecureLocalOnlyNoAuthentication().bindAddress(InetAddress.getByName("0.0.0.0")).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("bindAddress");
            assertThatThrownBy(() -> RdsBackupHttpServer.builder().service(fixture.service())
                    .insecureLocalOnlyNoAuthentication().authorizer(TestBackend.AUTHORIZER).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("exclude each other");
        }

        @Test
        @DisplayName("with a port out of range or no threads, naming the argument")
        void badArguments() {
            assertThatThrownBy(() -> RdsBackupHttpServer.builder().port(70000)).hasMessageContaining("port");
            assertThatThrownBy(() -> RdsBackupHttpServer.builder().threads(0)).hasMessageContaining("threads");
            assertThatThrownBy(() -> HttpLimits.defaults().withMaxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
        }
    }

    @Test
    @DisplayName("insecure local-only: binds loopback, answers without credentials, and warns loudly at start")
    void insecureLocalOnly() throws Exception {
        String log = HandlerRig.capturingLog(() -> start(RdsBackupHttpServer.builder().insecureLocalOnlyNoAuthentication()));

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v3/any-project/backups")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(server.bindAddress().isLoopbackAddress()).isTrue();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(log).contains("WARN").contains("INSECURE").contains("insecureLocalOnlyNoAuthentication");
    }

    @Test
    @DisplayName("answers over loopback with JSON and a request id")
    void answers() throws Exception {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER));

        HttpResponse<String> r = get("/v3/" + TestBackend.PROJECT + "/backups");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"backups\":[],\"total_count\":0}");
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    @DisplayName("refuses a declared body over the limit with 413 before reading it, and closes the connection")
    void declaredBodyTooLarge() throws IOException {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER));

        String answer = raw("POST /v3/" + TestBackend.PROJECT + "/backups HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{\"a\":");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"DBS.290105\"").containsIgnoringCase("connection: close");
        assertThat(store.all()).isEmpty();
    }

    @Test
    @DisplayName("refuses a chunked body that grows over the limit with 413")
    void chunkedBodyTooLarge() throws IOException {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER)
                .limits(HttpLimits.defaults().withMaxBodyBytes(100)));
        String chunk = "x".repeat(80);

        String answer = raw("POST /v3/" + TestBackend.PROJECT + "/backups HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "50\r\n" + chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"DBS.290105\"");
    }

    @Test
    @DisplayName("answers HEAD with headers only (405 with Allow)")
    void head() throws IOException {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER));

        String answer = raw("HEAD /v3/" + TestBackend.PROJECT + "/backups HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: GET, POST")
                .containsIgnoringCase("x-request-id: ").doesNotContain("error_code");
    }

    @Test
    @DisplayName("stops cleanly: the port is released and a second stop does nothing")
    void stops() throws Exception {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER));
        int port = server.port();
        assertThat(get("/v3/" + TestBackend.PROJECT + "/backups").statusCode()).isEqualTo(200);

        assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
        assertThat(server.stop(Duration.ofSeconds(5))).isTrue();

        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(IOException.class);
        server = null;
    }

    /** An authorizer that holds every request carrying {@code X-Hold} until released, and allows the rest. */
    private static final class HoldingAuthorizer implements RequestAuthorizer {
        final java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public AuthDecision authorize(HttpApiRequest request, String projectId) {
            if (request.header("X-Hold") != null) {
                arrived.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return TestBackend.AUTHORIZER.authorize(request, projectId);
        }
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<String>> heldGet(HoldingAuthorizer hold) {
        String path = "/v3/" + TestBackend.PROJECT + "/backups";
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + path)).header("Authorization", HandlerRig.AUTH).header("X-Hold", "1").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String listing(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v3/" + TestBackend.PROJECT + "/backups HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + HandlerRig.AUTH + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            s.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends listings until one is refused as the server stops (the stop runs on another thread, so the first few
     * may still be answered); gives up after a minute.
     */
    private String firstRefusal(int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            String answer = listing(port);
            if (!answer.startsWith("HTTP/1.1 200")) {
                return answer;
            }
        }
        throw new AssertionError("no request was refused within a minute of starting to stop");
    }

    @Test
    @DisplayName("stopping: refuses new requests with 503 and Connection: close, waits for the one in flight, "
            + "which is answered")
    void stopWaitsForRequestsInFlight() throws Exception {
        HoldingAuthorizer hold = new HoldingAuthorizer();
        start(RdsBackupHttpServer.builder().authorizer(hold));
        var inFlight = heldGet(hold);
        hold.arrived.await();
        int port = server.port();
        var stopped = java.util.concurrent.CompletableFuture.supplyAsync(() -> server.stop(Duration.ofMinutes(1)));

        String refused = firstRefusal(port);
        assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("Connection: close");
        // A 503 means the stop has begun, and it holds the server's monitor until the request in flight ends.
        assertThat(server.port()).as("answered while the stop waits").isEqualTo(port);
        assertThat(stopped).as("the stop waits for the request in flight").isNotDone();

        hold.release.countDown();
        assertThat(inFlight.get().statusCode()).isEqualTo(200);
        assertThat(stopped.get()).as("every request in flight finished").isTrue();
        server = null;
    }

    @Test
    @DisplayName("stopping: a request in flight past the grace period makes stop answer false")
    void stopGivesUpAfterGrace() throws Exception {
        HoldingAuthorizer hold = new HoldingAuthorizer();
        start(RdsBackupHttpServer.builder().authorizer(hold));
        var inFlight = heldGet(hold);
        hold.arrived.await();
        try {
            assertThat(server.stop(Duration.ofMillis(50))).isFalse();
        } finally {
            hold.release.countDown();
        }
        assertThat(inFlight).failsWithin(Duration.ofSeconds(30)); // the socket closed under it
        server = null;
    }

    @Test
    @DisplayName("can be started again after a stop, and then answers requests instead of refusing them")
    void restarts() throws Exception {
        start(RdsBackupHttpServer.builder().authorizer(TestBackend.AUTHORIZER));
        assertThat(server.stop(Duration.ofSeconds(5))).isTrue();

        server.start();

        assertThat(listing(server.port())).startsWith("HTTP/1.1 200");
    }
}
