package dev.rdsbackup.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.rds.v3.RdsClient;
import com.huaweicloud.sdk.rds.v3.model.BackupDatabase;
import com.huaweicloud.sdk.rds.v3.model.BackupDatastore;
import com.huaweicloud.sdk.rds.v3.model.BackupForList;
import com.huaweicloud.sdk.rds.v3.model.BackupInfo;
import com.huaweicloud.sdk.rds.v3.model.BatchDeleteBackupRequestBody;
import com.huaweicloud.sdk.rds.v3.model.BatchDeleteManualBackupRequest;
import com.huaweicloud.sdk.rds.v3.model.CreateManualBackupRequest;
import com.huaweicloud.sdk.rds.v3.model.CreateManualBackupRequestBody;
import com.huaweicloud.sdk.rds.v3.model.DeleteBackupResult;
import com.huaweicloud.sdk.rds.v3.model.DeleteManualBackupRequest;
import com.huaweicloud.sdk.rds.v3.model.ListBackupsRequest;
import com.huaweicloud.sdk.rds.v3.model.ListBackupsResponse;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.spi.InstanceStatus;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK ({@code huaweicloud-sdk-rds} 3.1.143) against {@link RdsBackupHttpServer} on a loopback
 * ephemeral port: every call it makes for manual backups, and every refusal as the SDK reports it.
 */
@DisplayName("The official RDS SDK against the JDK server")
class SdkCompatibilityTest {

    private final TestBackend backend = new TestBackend();
    private final RdsClient rds = client(TestBackend.AK);

    @AfterEach
    void stop() {
        backend.close();
    }

    private RdsClient client(String accessKey) {
        return RdsClient.newBuilder()
                .withCredential(new BasicCredentials().withAk(accessKey).withSk("sk").withProjectId(TestBackend.PROJECT))
                .withEndpoints(List.of(backend.base().toString()))
                .build();
    }

    private BackupInfo create(String instanceId, String name) {
        return rds.createManualBackup(new CreateManualBackupRequest().withBody(
                new CreateManualBackupRequestBody().withInstanceId(instanceId).withName(name))).getBackup();
    }

    private ListBackupsResponse list(ListBackupsRequest request) {
        return rds.listBackups(request);
    }

    private static List<String> ids(ListBackupsResponse r) {
        return r.getBackups().stream().map(BackupForList::getId).toList();
    }

    @Nested
    @DisplayName("creates")
    class Creates {
        @Test
        @DisplayName("a manual backup, answered BUILDING at once with every field of the create answer")
        void createsBuilding() {
            backend.fixture.addInstance("pg-1").datastore("PostgreSQL", "16").partialBackupSupported(true)
                    .databases("sales", "hr");

            BackupInfo b = rds.createManualBackup(new CreateManualBackupRequest().withBody(
                    new CreateManualBackupRequestBody().withInstanceId("pg-1").withName("nightly")
                            .withDescription("before the upgrade")
                            .withDatabases(List.of(new BackupDatabase().withName("sales"))))).getBackup();

            assertThat(b.getId()).isEqualTo("backup-1");
            assertThat(b.getInstanceId()).isEqualTo("pg-1");
            assertThat(b.getName()).isEqualTo("nightly");
            assertThat(b.getDescription()).isEqualTo("before the upgrade");
            assertThat(b.getDatabases()).extracting(BackupDatabase::getName).containsExactly("sales");
            assertThat(b.getStatus()).isEqualTo(BackupInfo.StatusEnum.BUILDING);
            assertThat(b.getType()).isEqualTo(BackupInfo.TypeEnum.MANUAL);
            assertThat(b.getBeginTime()).isEqualTo("2026-01-01T00:00:00+0000");
        }

        @Test
        @DisplayName("a backup that completes, listed with its size in KB, end time and datastore")
        void completes() {
            backend.fixture.addInstance("db-1").dataSizeBytes(10L * 1024 * 1024 + 1);
            create("db-1", "nightly");
            backend.advance(Duration.ofMinutes(5));

            ListBackupsResponse r = list(new ListBackupsRequest().withInstanceId("db-1"));

            assertThat(r.getTotalCount()).isEqualTo(1);
            BackupForList b = r.getBackups().get(0);
            assertThat(b.getStatus()).isEqualTo(BackupForList.StatusEnum.COMPLETED);
            assertThat(b.getType()).isEqualTo(BackupForList.TypeEnum.MANUAL);
            assertThat(b.getSize()).isEqualTo(backend.fixture.get(b.getId()).sizeBytes() / 1024 + 1);
            assertThat(b.getBeginTime()).isEqualTo("2026-01-01T00:00:00+0000");
            assertThat(b.getEndTime()).matches("2026-01-01T00:0\\d:\\d\\d\\+0000");
            assertThat(b.getDatastore().getType()).isEqualTo(BackupDatastore.TypeEnum.MYSQL);
            assertThat(b.getDatastore().getVersion()).isEqualTo("8.0");
        }
    }

    @Nested
    @DisplayName("lists")
    class Lists {
        /** Five completed manual backups of db-1, a minute apart, and one automated backup of db-2. */
        private List<String> fiveBackups() {
            backend.fixture.addInstance("db-1");
            backend.fixture.addInstance("db-2");
            for (int i = 1; i <= 5; i++) {
                create("db-1", "backup-" + i);
                backend.advance(Duration.ofMinutes(1));
            }
            backend.fixture.service().create(BackupRequest.builder().projectId(TestBackend.PROJECT)
                    .instanceId("db-2").name("automated-1").type(BackupType.AUTOMATED).build());
            backend.advance(Duration.ofMinutes(1));
            return List.of("backup-5", "backup-4", "backup-3", "backup-2", "backup-1");
        }

        @Test
        @DisplayName("an instance's backups newest first, a page at a time with offset and limit")
        void pages() {
            List<String> newestFirst = fiveBackups();

            ListBackupsResponse first = list(new ListBackupsRequest().withInstanceId("db-1").withLimit(2));
            ListBackupsResponse second = list(new ListBackupsRequest().withInstanceId("db-1").withOffset(2).withLimit(2));
            ListBackupsResponse last = list(new ListBackupsRequest().withInstanceId("db-1").withOffset(4).withLimit(2));
            ListBackupsResponse all = list(new ListBackupsRequest().withInstanceId("db-1"));

            assertThat(ids(first)).containsExactlyElementsOf(newestFirst.subList(0, 2));
            assertThat(ids(second)).containsExactlyElementsOf(newestFirst.subList(2, 4));
            assertThat(ids(last)).containsExactlyElementsOf(newestFirst.subList(4, 5));
            assertThat(List.of(first, second, last, all)).allMatch(r -> r.getTotalCount() == 5);
            assertThat(ids(all)).containsExactlyElementsOf(newestFirst);
        }

        @Test
        @DisplayName("filtered by backup id, type, status and a begin/end time window (both ends included)")
        void filters() {
            fiveBackups();

            assertThat(ids(list(new ListBackupsRequest().withInstanceId("db-1").withBackupId("backup-3"))))
                    .containsExactly("backup-3");
            assertThat(ids(list(new ListBackupsRequest().withInstanceId("db-2").withBackupId("backup-3")))).isEmpty();
            assertThat(ids(list(new ListBackupsRequest().withInstanceId("db-2")
                    .withBackupType(ListBackupsRequest.BackupTypeEnum.AUTO)))).containsExactly("backup-6");
            assertThat(list(new ListBackupsRequest().withInstanceId("db-2")
                    .withBackupType(ListBackupsRequest.BackupTypeEnum.MANUAL)).getTotalCount()).isZero();
            assertThat(list(new ListBackupsRequest().withInstanceId("db-1")
                    .withBackupType(ListBackupsRequest.BackupTypeEnum.INCREMENTAL)).getTotalCount()).isZero();
            assertThat(list(new ListBackupsRequest().withInstanceId("db-1")
                    .withStatus(ListBackupsRequest.StatusEnum.COMPLETED)).getTotalCount()).isEqualTo(5);
            assertThat(list(new ListBackupsRequest().withInstanceId("db-1")
                    .withStatus(ListBackupsRequest.StatusEnum.FAILED)).getTotalCount()).isZero();
            ListBackupsResponse window = list(new ListBackupsRequest().withInstanceId("db-1")
                    .withBeginTime("2026-01-01T00:01:00+0000").withEndTime("2026-01-01T00:03:00+0000"));
            assertThat(ids(window)).containsExactly("backup-4", "backup-3", "backup-2");
            ListBackupsResponse otherOffset = list(new ListBackupsRequest().withInstanceId("db-1")
                    .withBeginTime("2026-01-01T08:01:00+0800").withEndTime("2026-01-01T08:01:00+0800"));
            assertThat(ids(otherOffset)).containsExactly("backup-2");
        }
    }

    @Nested
    @DisplayName("deletes")
    class Deletes {
        @Test
        @DisplayName("one backup: DELETING at once, gone once its data is deleted")
        void deletesOne() {
            backend.fixture.addInstance("db-1");
            String id = create("db-1", "nightly").getId();
            backend.advance(Duration.ofMinutes(5));

            rds.deleteManualBackup(new DeleteManualBackupRequest().withBackupId(id));
            ListBackupsResponse deleting = list(new ListBackupsRequest().withInstanceId("db-1").withBackupId(id));
            backend.finishDeletes();
            ListBackupsResponse gone = list(new ListBackupsRequest().withInstanceId("db-1").withBackupId(id));

            assertThat(deleting.getBackups()).extracting(BackupForList::getStatus)
                    .containsExactly(BackupForList.StatusEnum.DELETING);
            assertThat(gone.getTotalCount()).isZero();
        }

        @Test
        @DisplayName("a batch, each id on its own: error code 0 for the accepted, the DBS code for the refused")
        void batch() {
            backend.fixture.addInstance("db-1");
            backend.fixture.addInstance("db-2");
            String a = create("db-1", "nightly").getId();
            String b = create("db-2", "nightly").getId();
            backend.advance(Duration.ofMinutes(5));

            List<DeleteBackupResult> results = rds.batchDeleteManualBackup(new BatchDeleteManualBackupRequest()
                    .withBody(new BatchDeleteBackupRequestBody().withBackupIds(List.of(a, "no-such-backup", b))))
                    .getDeleteResults();

            assertThat(results).extracting(DeleteBackupResult::getBackupId).containsExactly(a, "no-such-backup", b);
            assertThat(results).extracting(DeleteBackupResult::getErrorCode).containsExactly("0", "DBS.201010", "0");
            assertThat(results.get(1).getErrorMsg()).contains("no-such-backup");
            assertThat(backend.store.all()).allMatch(r -> r.status().name().equals("DELETING"));
        }
    }

    @Nested
    @DisplayName("reports each refusal with its HTTP status, DBS code, message and request id")
    class Refusals {
        private ServiceResponseException refused(Supplier<Object> call) {
            ServiceResponseException e = catchThrowableOfType(ServiceResponseException.class, call::get);
            assertThat(e).as("the SDK reports a refusal").isNotNull();
            assertThat(e.getRequestId()).as("request id").matches("[0-9a-f]{32}");
            return e;
        }

        @Test
        @DisplayName("invalid name and description: 400 DBS.280001 listing both")
        void invalid() {
            backend.fixture.addInstance("db-1");
            ServiceResponseException e = refused(() -> rds.createManualBackup(new CreateManualBackupRequest()
                    .withBody(new CreateManualBackupRequestBody().withInstanceId("db-1").withName("1x")
                            .withDescription("a <b> c"))));

            assertThat(e).isInstanceOf(ClientRequestException.class);
            assertThat(e.getHttpStatusCode()).isEqualTo(400);
            assertThat(e.getErrorCode()).isEqualTo("DBS.280001");
            assertThat(e.getErrorMsg()).startsWith("Parameter error: ")
                    .contains("description: ").contains("(BackupDescription)").contains("name: ").contains("(BackupName)")
                    .doesNotContain("<b>");
            assertThat(backend.store.all()).isEmpty();
        }

        @Test
        @DisplayName("unknown instance: 404 DBS.200002")
        void instanceNotFound() {
            ServiceResponseException e = refused(() -> create("no-such-db", "nightly"));

            assertThat(e.getHttpStatusCode()).isEqualTo(404);
            assertThat(e.getErrorCode()).isEqualTo("DBS.200002");
            assertThat(e.getErrorMsg()).contains("no-such-db");
        }

        @Test
        @DisplayName("instance rebooting: 409 DBS.201202, which the huaweicloud provider retries")
        void instanceBusy() {
            backend.fixture.addInstance("db-1").status(InstanceStatus.REBOOTING);
            ServiceResponseException e = refused(() -> create("db-1", "nightly"));

            assertThat(e.getHttpStatusCode()).isEqualTo(409);
            assertThat(e.getErrorCode()).isEqualTo("DBS.201202");
        }

        @Test
        @DisplayName("another backup building: 409 DBS.201205; name taken: 409 DBS.201201")
        void conflicts() {
            backend.fixture.addInstance("db-1");
            create("db-1", "nightly");
            ServiceResponseException building = refused(() -> create("db-1", "weekly"));
            backend.advance(Duration.ofMinutes(5));
            ServiceResponseException taken = refused(() -> create("db-1", "nightly"));

            assertThat(building.getHttpStatusCode()).isEqualTo(409);
            assertThat(building.getErrorCode()).isEqualTo("DBS.201205");
            assertThat(taken.getHttpStatusCode()).isEqualTo(409);
            assertThat(taken.getErrorCode()).isEqualTo("DBS.201201");
        }

        @Test
        @DisplayName("deleting an unknown backup: 404 DBS.201010")
        void backupNotFound() {
            ServiceResponseException e = refused(() -> rds.deleteManualBackup(
                    new DeleteManualBackupRequest().withBackupId("no-such-backup")));

            assertThat(e.getHttpStatusCode()).isEqualTo(404);
            assertThat(e.getErrorCode()).isEqualTo("DBS.201010");
        }

        @Test
        @DisplayName("paging out of range and half a time window: 400 DBS.280001 naming limit, offset and end_time")
        void badListing() {
            ServiceResponseException e = refused(() -> list(new ListBackupsRequest().withInstanceId("db-1")
                    .withLimit(101).withOffset(-1).withBeginTime("2026-01-01T00:00:00+0000")));

            assertThat(e.getHttpStatusCode()).isEqualTo(400);
            assertThat(e.getErrorCode()).isEqualTo("DBS.280001");
            assertThat(e.getErrorMsg()).contains("limit: ").contains("offset: ").contains("end_time: ");
        }

        @Test
        @DisplayName("an unknown access key: 401 DBS.290101; a key of another project: 403 DBS.290102")
        void auth() {
            backend.fixture.addInstance("db-1");
            ServiceResponseException unknown = catchThrowableOfType(ServiceResponseException.class,
                    () -> client("ak-unknown").listBackups(new ListBackupsRequest().withInstanceId("db-1")));
            ServiceResponseException other = catchThrowableOfType(ServiceResponseException.class,
                    () -> client(TestBackend.OTHER_AK).createManualBackup(new CreateManualBackupRequest().withBody(
                            new CreateManualBackupRequestBody().withInstanceId("db-1").withName("nightly"))));

            assertThat(unknown.getHttpStatusCode()).isEqualTo(401);
            assertThat(unknown.getErrorCode()).isEqualTo("DBS.290101");
            assertThat(other.getHttpStatusCode()).isEqualTo(403);
            assertThat(other.getErrorCode()).isEqualTo("DBS.290102");
            assertThat(other.getRequestId()).matches("[0-9a-f]{32}");
            assertThat(backend.store.all()).isEmpty();
        }
    }
}
