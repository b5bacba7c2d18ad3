package dev.rdsbackup.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("The DBS error table")
class DbsErrorTableTest {

    private final DbsErrorTable table = DbsErrorTable.defaults();

    @ParameterizedTest(name = "{0}")
    @EnumSource(ErrorCode.class)
    @DisplayName("maps every error code to its own HTTP status and a DBS code")
    void everyCodeMapped(ErrorCode code) {
        DbsError e = table.of(code);

        assertThat(e.httpStatus()).isEqualTo(code.httpStatus());
        assertThat(e.code()).matches("DBS\\.\\d{6}");
    }

    @Test
    @DisplayName("uses the documented codes of the public API where one exists")
    void documentedCodes() {
        assertThat(table.of(ErrorCode.INVALID_REQUEST)).isEqualTo(new DbsError(400, "DBS.280001"));
        assertThat(table.of(ErrorCode.INSTANCE_NOT_FOUND)).isEqualTo(new DbsError(404, "DBS.200002"));
        assertThat(table.of(ErrorCode.INSTANCE_BUSY)).isEqualTo(new DbsError(409, "DBS.201202"));
        assertThat(table.of(ErrorCode.BACKUP_NAME_EXISTS)).isEqualTo(new DbsError(409, "DBS.201201"));
        assertThat(table.of(ErrorCode.BACKUP_IN_PROGRESS)).isEqualTo(new DbsError(409, "DBS.201205"));
        assertThat(table.of(ErrorCode.BACKUP_NOT_FOUND)).isEqualTo(new DbsError(404, "DBS.201010"));
    }

    @Test
    @DisplayName("gives every entry a code of its own, so clients can tell them apart")
    void codesDistinct() {
        Set<String> codes = new HashSet<>();
        table.serviceEntries().values().forEach(e -> codes.add(e.code()));
        table.httpEntries().values().forEach(e -> codes.add(e.code()));

        assertThat(codes).hasSize(ErrorCode.values().length + HttpRefusal.values().length);
    }

    @Test
    @DisplayName("gives a code the huaweicloud provider retries only to a retryable condition")
    void retriedCodesOnlyForRetryable() {
        Set<String> retried = Set.of("DBS.201202", "DBS.200011", "DBS.200019", "DBS.200047");

        assertThat(table.serviceEntries()).allSatisfy((code, e) -> {
            if (retried.contains(e.code())) {
                assertThat(code.retryable()).as(code.name()).isTrue();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(HttpRefusal.class)
    @DisplayName("maps every HTTP-layer refusal to its status and a DBS code")
    void everyRefusalMapped(HttpRefusal refusal) {
        assertThat(table.of(refusal).httpStatus()).isEqualTo(refusal.defaultStatus());
        assertThat(table.of(refusal).code()).matches("DBS\\.2901\\d\\d");
    }

    @Test
    @DisplayName("can be changed by the host, entry by entry, and the handler answers with the change")
    void overridden() {
        DbsErrorTable custom = DbsErrorTable.builder()
                .map(ErrorCode.BACKUP_QUOTA_EXCEEDED, new DbsError(403, "DBS.212345"))
                .map(HttpRefusal.ROUTE_NOT_FOUND, new DbsError(404, "APIGW.0101"))
                .build();
        HandlerRig rig = new HandlerRig();
        RdsApiHandler handler = RdsApiHandler.builder().service(rig.fixture.service()).authorizer((r, p) -> AuthDecision.ALLOW)
                .errorTable(custom).build();

        HttpApiResponse r = handler.handle(HandlerRig.request("GET", "/nowhere", null, null));

        assertThat(custom.of(ErrorCode.BACKUP_QUOTA_EXCEEDED)).isEqualTo(new DbsError(403, "DBS.212345"));
        assertThat(custom.of(ErrorCode.BACKUP_NOT_FOUND)).isEqualTo(table.of(ErrorCode.BACKUP_NOT_FOUND));
        assertThat(r.status()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"APIGW.0101\"");
    }

    @Test
    @DisplayName("is the table the README documents, row by row (ErrorCode -> HTTP status -> DBS code)")
    void readmeTable() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));

        assertThat(table.serviceEntries()).allSatisfy((code, e) -> assertThat(readme)
                .contains("| `" + code.name() + "` | " + e.httpStatus() + " | `" + e.code() + "` |"));
        assertThat(table.httpEntries()).allSatisfy((refusal, e) -> assertThat(readme)
                .contains("| " + refusal.name() + " | " + e.httpStatus() + " | `" + e.code() + "` |"));
    }

    @Test
    @DisplayName("refuses a status outside 400 to 599 and a code with other characters, naming the argument")
    void checksEntries() {
        assertThatThrownBy(() -> new DbsError(200, "DBS.1")).hasMessageContaining("httpStatus");
        assertThatThrownBy(() -> new DbsError(400, "DBS 1\n")).hasMessageContaining("code");
        assertThatThrownBy(() -> DbsErrorTable.builder().map((ErrorCode) null, new DbsError(400, "x")))
                .hasMessageContaining("code");
    }

    @Test
    @DisplayName("answers a service refusal with the service's own message")
    void serviceRefusalMessage() {
        HandlerRig rig = new HandlerRig();
        BackupException thrown = catchThrowableOfType(BackupException.class,
                () -> rig.fixture.service().delete(TestBackend.PROJECT, "nope"));

        HttpApiResponse r = rig.handle(HandlerRig.request("DELETE", "/v3/" + TestBackend.PROJECT + "/backups/nope",
                null, null));

        assertThat(HandlerRig.json(r).get("error_code").asText()).isEqualTo("DBS.201010");
        assertThat(HandlerRig.json(r).get("error_msg").asText()).isEqualTo(thrown.getMessage()).contains("nope");
    }
}
