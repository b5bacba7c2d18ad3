package dev.rdsbackup.http;

import static dev.rdsbackup.http.HandlerRig.create;
import static dev.rdsbackup.http.HandlerRig.list;
import static dev.rdsbackup.http.HandlerRig.request;
import static dev.rdsbackup.http.HandlerRig.withHeaders;
import static dev.rdsbackup.http.HandlerRig.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdsbackup.api.BackupRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile HTTP input: every case is refused with a 4xx and a DBS code in a JSON body with a request id, stores
 * nothing, and leaves no trace of the hostile text (marked {@code EVIL}) in the log.
 */
@DisplayName("Hostile HTTP input")
class HostileHttpInputTest {

    private static final String P = "/v3/" + TestBackend.PROJECT + "/backups";
    private static final String VALID = "{\"instance_id\":\"db-1\",\"name\":\"nightly\"}";

    /** One hostile request and how it must be refused. */
    record Case(String name, HttpApiRequest request, int status, String code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, HttpApiRequest request, int status, String code, String message) {
        return new Case(name, request, status, code, message);
    }

    private static HttpApiRequest bytes(byte[] body) {
        HttpApiRequest r = create(null);
        return withHeaders(new HttpApiRequest("POST", P, null, r.headers(), body),
                Map.of("Content-Type", List.of("application/json")));
    }

    static Stream<Case> cases() {
        String deep = "[".repeat(50) + "\"EVIL\"" + "]".repeat(50);
        return Stream.of(
                c("body over 64 KiB", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"description\":\""
                        + "EVIL".repeat(17_000) + "\"}"), 413, "DBS.290105", "too large"),
                c("bad JSON", create("{\"instance_id\": EVIL"), 400, "DBS.280001", "body: must be one well-formed JSON"),
                c("JSON cut short", create("{\"instance_id\":\"EVIL"), 400, "DBS.280001", "(JsonSyntax)"),
                c("trailing content", create(VALID + " {\"EVIL\":1}"), 400, "DBS.280001", "(JsonSyntax)"),
                c("duplicate field", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"name\":\"EVIL\"}"), 400,
                        "DBS.280001", "without duplicate fields"),
                c("deep nesting", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"x\":" + deep + "}"), 400,
                        "DBS.280001", "(JsonLimits)"),
                c("huge number", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"x\":" + "9".repeat(5000) + "}"),
                        400, "DBS.280001", "(JsonLimits)"),
                c("a JSON array instead of an object", create("[\"EVIL\"]"), 400, "DBS.280001",
                        "body: must be a JSON object"),
                c("empty body", create(""), 400, "DBS.280001", "body: must be a JSON object"),
                c("invalid UTF-8", bytes(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), 400, "DBS.280001",
                        "body: must be UTF-8"),
                c("wrong types", create("{\"instance_id\":5,\"name\":[\"EVIL\"],\"description\":{},\"databases\":\"EVIL\"}"),
                        400, "DBS.280001", "instance_id: must be a string (JsonType); name: must be a string (JsonType); "
                                + "description: must be a string (JsonType); databases: must be an array"),
                c("database entries of the wrong shape", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\","
                        + "\"databases\":[\"EVIL\",{\"name\":7},{}]}"), 400, "DBS.280001",
                        "databases[0]: must be a {\"name\": string} object (JsonType); databases[1].name: must be a string "
                                + "(JsonType); databases[2].name: must not be null (NotNull)"),
                c("required fields missing", create("{\"EVIL\":true}"), 400, "DBS.280001",
                        "instance_id: must not be null (NotNull); name: must not be null (NotNull)"),
                c("control characters in the name and description", create("{\"instance_id\":\"db-1\","
                        + "\"name\":\"EVIL\\u0000x\",\"description\":\"EVIL\\r\\nINFO forged line\"}"), 400,
                        "DBS.280001", "(BackupDescription)"),
                c("script in the description", create("{\"instance_id\":\"db-1\",\"name\":\"nightly\","
                        + "\"description\":\"<script>EVIL</script>\"}"), 400, "DBS.280001", "description: "),
                c("instance id with path characters", create("{\"instance_id\":\"../EVIL\",\"name\":\"nightly\"}"), 400,
                        "DBS.280001", "instance_id: must be 1 to 64"),
                c("unknown route", request("GET", "/v3/" + TestBackend.PROJECT + "/EVIL", null, null), 404,
                        "DBS.290103", "No API operation"),
                c("unknown version", request("GET", "/v2/EVIL/backups", null, null), 404, "DBS.290103", "No API"),
                c("root", request("GET", "/", null, null), 404, "DBS.290103", "No API"),
                c("trailing slash", request("GET", P + "/", null, null), 400, "DBS.280001", "backup_id: "),
                c("dot-dot segments", request("DELETE", P + "/../backups", null, null), 404, "DBS.290103", "No API"),
                c("encoded slash in a backup id", request("DELETE", P + "/..%2F..%2FEVIL", null, null), 400, "DBS.280001",
                        "backup_id: must be 1 to 64"),
                c("encoded dots as a backup id", request("GET", P + "/%2E%2E", null, null), 400, "DBS.280001",
                        "backup_id: "),
                c("dot-dot as the project", request("GET", "/v3/../backups", null, null), 400, "DBS.280001",
                        "project_id: "),
                c("control character in a cancelled id", request("POST", P + "/EVIL%0A/cancel", null, null), 400,
                        "DBS.280001", "backup_id: "),
                c("unknown method", request("EVIL", P, null, null), 405, "DBS.290104", "does not accept"),
                c("PUT on the collection", request("PUT", P, null, VALID), 405, "DBS.290104", "does not accept"),
                c("text/plain body", withHeaders(create(VALID), Map.of("Content-Type", List.of("text/plain"))), 415,
                        "DBS.290107", "application/json"),
                c("no content type", without(create(VALID), "Content-Type"), 415,
                        "DBS.290107", "application/json"),
                c("JSON in another charset", withHeaders(create(VALID),
                        Map.of("Content-Type", List.of("application/json; charset=ISO-8859-1"))), 415, "DBS.290107", "UTF-8"),
                c("two content types", withHeaders(create(VALID),
                        Map.of("Content-Type", List.of("application/json", "text/plain"))), 415, "DBS.290107", "UTF-8"),
                c("huge query string", list("instance_id=EVIL" + "&x=1".repeat(1000)), 414, "DBS.290106", "too long"),
                c("huge path", request("GET", P + "/EVIL" + "x".repeat(600), null, null), 414, "DBS.290106", "too long"),
                c("control character in the query", list("instance_id=EVIL%00"), 400, "DBS.280001",
                        "instance_id: must be percent-encoded UTF-8"),
                c("malformed percent-encoding", list("instance_id=EVIL%zz"), 400, "DBS.280001", "instance_id: "),
                c("invalid UTF-8 in the query", list("instance_id=%C3%28EVIL"), 400, "DBS.280001", "instance_id: "),
                c("unknown parameter with control characters", list("EVIL%0A=1"), 400, "DBS.280001",
                        "query: parameter names"),
                c("parameter given twice", list("limit=1&limit=2"), 400, "DBS.280001", "limit: must be given at most once"),
                c("paging out of range", list("offset=-1&limit=0"), 400, "DBS.280001",
                        "offset: must be a whole number from 0 up (Range); limit: must be a whole number from 1 to 100"),
                c("limit over 100", list("limit=101"), 400, "DBS.280001", "limit: "),
                c("limit not a number", list("limit=EVIL"), 400, "DBS.280001", "limit: "),
                c("limit overflowing an int", list("limit=99999999999999999999"), 400, "DBS.280001", "limit: "),
                c("unknown backup type and status", list("backup_type=EVIL&status=CANCELLED"), 400, "DBS.280001",
                        "backup_type: must be auto, manual, fragment or incremental (OneOf); status: must be BUILDING"),
                c("begin time alone", list("begin_time=2026-01-01T00:00:00%2B0000"), 400, "DBS.280001",
                        "end_time: must be given together with begin_time"),
                c("end time alone", list("end_time=2026-01-01T00:00:00%2B0000"), 400, "DBS.280001",
                        "begin_time: must be given together with end_time"),
                c("end before begin", list("begin_time=2026-01-02T00:00:00%2B0000&end_time=2026-01-01T00:00:00%2B0000"),
                        400, "DBS.280001", "end_time: must not be before begin_time"),
                c("times of another format", list("begin_time=2026-01-01T00:00:00Z&end_time=EVIL"), 400, "DBS.280001",
                        "begin_time: must be a time such as 2026-11-26T09:48:54+0000 (TimeFormat); end_time: must be"),
                c("impossible date", list("begin_time=2026-02-30T00:00:00%2B0000&end_time=2026-03-01T00:00:00%2B0000"),
                        400, "DBS.280001", "begin_time: "),
                c("instance id with path characters in the query", list("instance_id=..%2FEVIL"), 400, "DBS.280001",
                        "instance_id: must be 1 to 64"),
                c("client token with a control character", withHeaders(create(VALID),
                        Map.of("X-Client-Token", List.of("EVIL\u0001"))), 400, "DBS.280001", "X-Client-Token: must be"),
                c("two client tokens", withHeaders(create(VALID), Map.of("X-Client-Token", List.of("EVIL-1", "EVIL-2"))),
                        400, "DBS.280001", "X-Client-Token: must be given at most once"),
                c("batch without ids", request("POST", P + "/batch-delete", null, "{}"), 400, "DBS.280001",
                        "backup_ids: must not be null"),
                c("batch ids not an array", request("POST", P + "/batch-delete", null, "{\"backup_ids\":\"EVIL\"}"), 400,
                        "DBS.280001", "backup_ids: must be an array"),
                c("empty batch", request("POST", P + "/batch-delete", null, "{\"backup_ids\":[]}"), 400, "DBS.280001",
                        "backup_ids: must name 1 to 50"),
                c("batch of 51", request("POST", P + "/batch-delete", null, "{\"backup_ids\":["
                        + String.join(",", java.util.Collections.nCopies(51, "\"x\"")) + "]}"), 400, "DBS.280001",
                        "backup_ids: must name 1 to 50"),
                c("batch with a non-string and a bad id", request("POST", P + "/batch-delete", null,
                        "{\"backup_ids\":[1,\"../EVIL\"]}"), 400, "DBS.280001", "backup_ids[0]: must be a string"),
                c("no credentials", without(create(VALID), "Authorization"), 401,
                        "DBS.290101", "not authenticated"),
                c("unknown credentials", withHeaders(create(VALID), Map.of("Authorization", List.of("Bearer EVIL"))), 401,
                        "DBS.290101", "not authenticated"),
                c("another project's key", withHeaders(create(VALID),
                        Map.of("Authorization", List.of("Bearer " + TestBackend.OTHER_AK))), 403, "DBS.290102",
                        "may not act on this project"),
                c("a project the key may not use", request("GET", "/v3/project-2/backups", null, null), 403,
                        "DBS.290102", "may not act"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("is refused with its status and DBS code, stores nothing and is never logged raw")
    void refused(Case c) {
        HandlerRig rig = new HandlerRig();
        List<BackupRecord> before = rig.store.all();
        HttpApiResponse[] answer = new HttpApiResponse[1];

        String log = HandlerRig.capturingLog(() -> {
            answer[0] = rig.handle(c.request());
            rig.fixture.advance(java.time.Duration.ofMinutes(5));
        });

        HttpApiResponse r = answer[0];
        JsonNode body = HandlerRig.json(r);
        assertThat(r.status()).as("status").isEqualTo(c.status());
        assertThat(body.get("error_code").asText()).isEqualTo(c.code());
        assertThat(body.get("error_msg").asText()).contains(c.message()).doesNotContain("EVIL");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(rig.store.all()).isEqualTo(before);
        assertThat(log).contains(r.header("X-Request-Id")).doesNotContain("EVIL").doesNotContain("forged");
    }

    @Test
    @DisplayName("a 405 names the methods the path accepts in Allow")
    void allow() {
        HandlerRig rig = new HandlerRig();

        assertThat(rig.handle(request("PUT", P, null, VALID)).header("Allow")).isEqualTo("GET, POST");
        assertThat(rig.handle(request("PATCH", P + "/backup-1", null, null)).header("Allow")).isEqualTo("GET, DELETE");
        assertThat(rig.handle(request("GET", P + "/batch-delete", null, null)).header("Allow")).isEqualTo("POST");
        assertThat(rig.handle(request("GET", P + "/backup-1/cancel", null, null)).header("Allow")).isEqualTo("POST");
    }

    @Test
    @DisplayName("unknown fields are ignored and null fields count as absent, as clients that write every field need")
    void unknownAndNullFields() {
        HandlerRig rig = new HandlerRig();

        HttpApiResponse r = rig.handle(create("{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"description\":null,"
                + "\"databases\":null,\"backup_database_individually\":false,\"future\":{\"x\":[1,2]}}"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(HandlerRig.json(r).get("backup").get("status").asText()).isEqualTo("BUILDING");
        assertThat(rig.store.all()).hasSize(1);
    }

    @Test
    @DisplayName("valid untrusted text (a description) is stored and answered as given, never logged")
    void untrustedTextNotLogged() {
        HandlerRig rig = new HandlerRig();
        HttpApiResponse[] r = new HttpApiResponse[1];

        String log = HandlerRig.capturingLog(() -> r[0] = rig.handle(create(
                "{\"instance_id\":\"db-1\",\"name\":\"nightly\",\"description\":\"SECRET customer note\"}")));

        assertThat(HandlerRig.json(r[0]).get("backup").get("description").asText()).isEqualTo("SECRET customer note");
        assertThat(log).contains("POST /v3/{project_id}/backups -> 200").doesNotContain("SECRET");
    }

    @Test
    @DisplayName("a body limit set lower is enforced by the handler too")
    void lowerBodyLimit() {
        HandlerRig rig = new HandlerRig(HttpLimits.defaults().withMaxBodyBytes(16));

        HttpApiResponse r = rig.handle(create(VALID));

        assertThat(r.status()).isEqualTo(413);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("DBS.290105");
    }

    @Test
    @DisplayName("an authorizer that throws fails closed: 500 DBS.290109, nothing stored, only the class logged")
    void authorizerThrows() {
        HandlerRig rig = new HandlerRig();
        RdsApiHandler h = RdsApiHandler.builder().service(rig.fixture.service())
                .authorizer((request, project) -> {
                    throw new IllegalStateException("EVIL token store down");
                })
                .build();
        HttpApiResponse[] r = new HttpApiResponse[1];

        String log = HandlerRig.capturingLog(() -> r[0] = h.handle(create(VALID)));

        assertThat(r[0].status()).isEqualTo(500);
        assertThat(HandlerRig.json(r[0]).get("error_code").asText()).isEqualTo("DBS.290109");
        assertThat(rig.store.all()).isEmpty();
        assertThat(log).contains("java.lang.IllegalStateException").contains("answered 500").doesNotContain("EVIL");
    }
}
