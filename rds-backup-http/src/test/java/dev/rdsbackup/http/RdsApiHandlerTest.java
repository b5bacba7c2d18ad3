package dev.rdsbackup.http;

import static dev.rdsbackup.http.HandlerRig.create;
import static dev.rdsbackup.http.HandlerRig.json;
import static dev.rdsbackup.http.HandlerRig.list;
import static dev.rdsbackup.http.HandlerRig.request;
import static dev.rdsbackup.http.HandlerRig.withHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The handler")
class RdsApiHandlerTest {

    private static final String P = "/v3/" + TestBackend.PROJECT + "/backups";
    private final HandlerRig rig = new HandlerRig();

    private String createNightly() {
        return json(rig.handle(create("{\"instance_id\":\"db-1\",\"name\":\"nightly\"}"))).get("backup").get("id").asText();
    }

    @Nested
    @DisplayName("serves the extensions")
    class Extensions {
        @Test
        @DisplayName("GET one backup: the listing's shape, with the precise status")
        void getOne() {
            String id = createNightly();
            rig.fixture.advance(Duration.ofMinutes(5));

            HttpApiResponse r = rig.handle(request("GET", P + "/" + id, null, null));

            JsonNode b = json(r).get("backup");
            assertThat(r.status()).isEqualTo(200);
            assertThat(b.get("id").asText()).isEqualTo(id);
            assertThat(b.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(b.get("rds_backup_status").asText()).isEqualTo("COMPLETED");
            assertThat(b.get("datastore").get("type").asText()).isEqualTo("MySQL");
            assertThat(b.get("size").asLong()).isEqualTo(rig.fixture.get(id).sizeBytes() / 1024);
        }

        @Test
        @DisplayName("cancel: FAILED on the wire, CANCELLED as the precise status; again: unchanged; once done: 409")
        void cancel() {
            rig.fixture.engine().holdCopies();
            String id = createNightly();
            rig.fixture.advance(Duration.ofSeconds(5));

            HttpApiResponse first = rig.handle(request("POST", P + "/" + id + "/cancel", null, null));
            HttpApiResponse again = rig.handle(request("POST", P + "/" + id + "/cancel", null, null));
            rig.fixture.advance(Duration.ofMinutes(1));
            String other = json(rig.handle(create("{\"instance_id\":\"db-1\",\"name\":\"weekly\"}"))).get("backup")
                    .get("id").asText();
            rig.fixture.advance(Duration.ofSeconds(5));
            rig.fixture.engine().completeAll();
            rig.fixture.advance(Duration.ofMinutes(1));
            HttpApiResponse done = rig.handle(request("POST", P + "/" + other + "/cancel", null, null));

            assertThat(first.status()).isEqualTo(200);
            assertThat(json(first).get("backup").get("status").asText()).isEqualTo("FAILED");
            assertThat(json(first).get("backup").get("rds_backup_status").asText()).isEqualTo("CANCELLED");
            assertThat(json(again).get("backup").get("rds_backup_status").asText()).isEqualTo("CANCELLED");
            assertThat(rig.fixture.engine().cancelCount(id)).isEqualTo(1);
            assertThat(done.status()).isEqualTo(409);
            assertThat(json(done).get("error_code").asText()).isEqualTo("DBS.290008");
        }

        @Test
        @DisplayName("idempotent create: the same X-Client-Token returns the same backup; with other values, 409")
        void clientToken() {
            HttpApiRequest first = withHeaders(create("{\"instance_id\":\"db-1\",\"name\":\"nightly\"}"),
                    Map.of("X-Client-Token", List.of("terraform-run-42")));
            HttpApiRequest other = withHeaders(create("{\"instance_id\":\"db-1\",\"name\":\"weekly\"}"),
                    Map.of("X-Client-Token", List.of("terraform-run-42")));

            HttpApiResponse a = rig.handle(first);
            rig.fixture.advance(Duration.ofMinutes(5));
            HttpApiResponse b = rig.handle(first);
            HttpApiResponse c = rig.handle(other);

            assertThat(a.status()).isEqualTo(200);
            assertThat(b.status()).isEqualTo(200);
            assertThat(json(b).get("backup").get("id")).isEqualTo(json(a).get("backup").get("id"));
            assertThat(json(b).get("backup").get("status").asText()).isEqualTo("COMPLETED");
            assertThat(c.status()).isEqualTo(409);
            assertThat(json(c).get("error_code").asText()).isEqualTo("DBS.290007");
            assertThat(rig.store.all()).hasSize(1);
        }
    }

    @Nested
    @DisplayName("keeps the API's rules")
    class Rules {
        @Test
        @DisplayName("without instance_id, lists the whole project (the Backup Management view)")
        void projectWide() {
            rig.fixture.addInstance("db-2");
            createNightly();
            rig.handle(create("{\"instance_id\":\"db-2\",\"name\":\"nightly\"}"));

            JsonNode page = json(rig.handle(list(null)));

            assertThat(page.get("total_count").asLong()).isEqualTo(2);
            assertThat(page.get("backups")).hasSize(2);
        }

        @Test
        @DisplayName("offset past the only backup found by id: empty page, total_count 1")
        void byIdPastOffset() {
            String id = createNightly();

            JsonNode page = json(rig.handle(list("backup_id=" + id + "&offset=1")));

            assertThat(page.get("total_count").asLong()).isEqualTo(1);
            assertThat(page.get("backups")).isEmpty();
        }

        @Test
        @DisplayName("delete: 200 with an empty body; of a building backup 409 DBS.290008; of an automated one 400 DBS.290009")
        void deleteRules() {
            String building = createNightly();
            HttpApiResponse refusedBuilding = rig.handle(request("DELETE", P + "/" + building, null, null));
            rig.fixture.advance(Duration.ofMinutes(5));
            String automated = rig.fixture.service().create(BackupRequest.builder().projectId(TestBackend.PROJECT)
                    .instanceId("db-1").name("automated").type(BackupType.AUTOMATED).build()).backupId();
            rig.fixture.advance(Duration.ofMinutes(5));

            HttpApiResponse ok = rig.handle(request("DELETE", P + "/" + building, null, null));
            HttpApiResponse refusedAuto = rig.handle(request("DELETE", P + "/" + automated, null, null));

            assertThat(refusedBuilding.status()).isEqualTo(409);
            assertThat(json(refusedBuilding).get("error_code").asText()).isEqualTo("DBS.290008");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEmpty();
            assertThat(ok.header("X-Request-Id")).matches("[0-9a-f]{32}");
            assertThat(rig.store.all()).noneMatch(r -> r.id().equals(building)
                    && r.status() == BackupStatus.COMPLETED);
            assertThat(refusedAuto.status()).isEqualTo(400);
            assertThat(json(refusedAuto).get("error_code").asText()).isEqualTo("DBS.290009");
        }

        @Test
        @DisplayName("every answer is JSON with a request id of its own")
        void envelope() {
            HttpApiResponse a = rig.handle(list(null));
            HttpApiResponse b = rig.handle(list(null));

            assertThat(List.of(a, b)).allSatisfy(r -> {
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                assertThat(r.header("X-Request-Id")).matches("[0-9a-f]{32}");
            });
            assertThat(a.header("X-Request-Id")).isNotEqualTo(b.header("X-Request-Id"));
        }
    }

    @Test
    @DisplayName("refuses to build without a service or an authorizer, naming it")
    void builderChecks() {
        assertThatThrownBy(() -> RdsApiHandler.builder().authorizer((r, p) -> AuthDecision.ALLOW).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("service");
        assertThatThrownBy(() -> RdsApiHandler.builder().service(rig.fixture.service()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authorizer");
    }
}
