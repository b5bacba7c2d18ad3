package dev.rdsbackup.testkit;

import static dev.rdsbackup.testkit.RecordingListener.Kind.COMPLETED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.CREATED;
import static dev.rdsbackup.testkit.RecordingListener.Kind.VERIFICATION_RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.error.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The recording listener")
class RecordingListenerTest {

    private static BackupRecord record(String id) {
        return BackupRecord.builder().id(id).projectId("p").instanceId("i").name("name")
                .datastore(new Datastore("MySQL", "8.0")).beginTime(Instant.EPOCH).build();
    }

    @Test
    @DisplayName("records events in order, per backup, with the retry details")
    void records() {
        RecordingListener listener = new RecordingListener();
        listener.onCreated(record("b-1"));
        listener.onCreated(record("b-2"));
        listener.onVerificationRetry(record("b-1"), ErrorCode.VERIFICATION_DDL_RUNNING, Duration.ofSeconds(30));
        listener.onCompleted(record("b-1"));

        assertThat(listener.kinds("b-1")).containsExactly(CREATED, VERIFICATION_RETRY, COMPLETED);
        assertThat(listener.kinds()).containsExactly(CREATED, CREATED, VERIFICATION_RETRY, COMPLETED);
        assertThat(listener.count(CREATED)).isEqualTo(2);
        assertThat(listener.events("b-1").get(1).reason()).isEqualTo(ErrorCode.VERIFICATION_DDL_RUNNING);
        assertThat(listener.events("b-1").get(1).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(listener.last("b-2").orElseThrow().kind()).isEqualTo(CREATED);

        listener.clear();
        assertThat(listener.events()).isEmpty();
    }
}
