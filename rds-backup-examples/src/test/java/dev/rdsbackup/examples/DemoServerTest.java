package dev.rdsbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The demo's serve mode")
class DemoServerTest {

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("serves the RDS API on a loopback port, prints curl commands that work, and stops")
    void serves() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String base;
        HttpResponse<String> created;
        HttpResponse<String> listed;
        HttpResponse<String> replica;
        try (DemoServer server = DemoServer.start(new ServeOptions(0), out)) {
            base = "http://127.0.0.1:" + server.port() + "/v3/proj-demo/backups";
            created = send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instance_id\":\"mysql-orders\",\"name\":\"before-upgrade\"}")));
            listed = send(HttpRequest.newBuilder(URI.create(base + "?instance_id=mysql-orders")));
            replica = send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"instance_id\":\"mysql-orders-ro\",\"name\":\"x!\"}")));
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(printed).startsWith("rds-backup demo server: the RDS API v3 for manual backups on " + base)
                .contains("NO AUTHENTICATION (loopback only)")
                .contains("curl -s -X POST " + base + " -H 'Content-Type: application/json' -d "
                        + "'{\"instance_id\":\"mysql-orders\",\"name\":\"before-upgrade\"}'")
                .contains("curl -s '" + base + "?instance_id=mysql-orders'")
                .contains("Press Ctrl-C to stop.")
                .contains("event  bk-0001 CREATED    MANUAL 'before-upgrade' of mysql-orders (MySQL 8.0)");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).contains("\"id\":\"bk-0001\"").contains("\"status\":\"BUILDING\"");
        assertThat(listed.body()).contains("\"total_count\":1");
        assertThat(replica.statusCode()).isEqualTo(400);
        assertThat(replica.body()).contains("\"error_code\":\"DBS.280001\"").contains("name: ");
        assertThat(List.of(created, listed, replica)).allSatisfy(r ->
                assertThat(r.headers().firstValue("X-Request-Id")).isPresent());
    }

    @Test
    @DisplayName("reads --port and refuses a bad one with a usage error and exit code 2")
    void options() {
        assertThat(ServeOptions.parse()).isEqualTo(new ServeOptions(8080));
        assertThat(ServeOptions.parse("--port", "0")).isEqualTo(new ServeOptions(0));
        assertThat(ServeOptions.parse("--port=9090")).isEqualTo(new ServeOptions(9090));
        for (List<String> bad : List.of(List.of("--port"), List.of("--port", "65536"), List.of("--port", "x"),
                List.of("--fast"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Demo.run(("serve " + String.join(" ", bad)).split(" "), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(bad.toString()).isEqualTo(Demo.EXIT_USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ").contains("serve [--port N]");
        }
    }
}
