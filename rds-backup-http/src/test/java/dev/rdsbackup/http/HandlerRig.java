package dev.rdsbackup.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rdsbackup.testkit.BackupFixture;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The handler without a socket, over a fixture in strict virtual time (every call runs on the test thread), with
 * helpers to build requests and read answers.
 */
final class HandlerRig {
    static final String AUTH = "Bearer " + TestBackend.AK;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The records, in memory, so a test can see every one. */
    final InMemoryBackupStore store = new InMemoryBackupStore();
    final BackupFixture fixture = BackupFixture.builder().store(store)
            .customize(b -> b.validator(SharedValidator.VALIDATOR)).build();
    final RdsApiHandler handler;

    HandlerRig() {
        this(HttpLimits.defaults());
    }

    HandlerRig(HttpLimits limits) {
        handler = RdsApiHandler.builder()
                .service(fixture.service())
                .authorizer(TestBackend.AUTHORIZER)
                .limits(limits)
                .build();
        fixture.addInstance("db-1");
    }

    /** A request with the test key and, when a body is given, {@code Content-Type: application/json}. */
    static HttpApiRequest request(String method, String path, String query, String body) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Authorization", List.of(AUTH));
        if (body != null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        return new HttpApiRequest(method, path, query, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same request with some headers replaced. */
    static HttpApiRequest withHeaders(HttpApiRequest r, Map<String, List<String>> changes) {
        Map<String, List<String>> headers = new HashMap<>(r.headers());
        changes.forEach((name, values) -> {
            headers.remove(name.toLowerCase(Locale.ROOT));
            headers.put(name, values);
        });
        return new HttpApiRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
    }

    /** The same request without a header. */
    static HttpApiRequest without(HttpApiRequest r, String header) {
        Map<String, List<String>> headers = new HashMap<>(r.headers());
        headers.remove(header.toLowerCase(Locale.ROOT));
        return new HttpApiRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
    }

    static HttpApiRequest create(String body) {
        return request("POST", "/v3/" + TestBackend.PROJECT + "/backups", null, body);
    }

    static HttpApiRequest list(String query) {
        return request("GET", "/v3/" + TestBackend.PROJECT + "/backups", query, null);
    }

    HttpApiResponse handle(HttpApiRequest request) {
        return handler.handle(request);
    }

    static JsonNode json(HttpApiResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code body} with {@code System.err} (where slf4j-simple logs in tests) captured; answers what was written. */
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
}
