package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("RetryPolicy.maxElapsed across verification attempts")
class RetryElapsedTest {

    @ParameterizedTest(name = "attempts 30 s apart with maxElapsed {0} s: {1} attempts, then FAILED")
    @CsvSource({"29, 1", "30, 2", "59, 2", "60, 3", "75, 3", "90, 4"})
    @DisplayName("stops retrying when the next attempt would start after maxElapsed (at it is still allowed)")
    void maxElapsedBoundsTheAttempts(long maxElapsedSeconds, int expectedAttempts) {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).delay(Harness.RETRY_DELAY).multiplier(1.0)
                .maxDelay(Harness.RETRY_DELAY).jitter(0).maxElapsed(Duration.ofSeconds(maxElapsedSeconds)).build();
        Harness h = new Harness(b -> b.retryPolicy(policy));
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).ddlRunningFor(10);
        BackupHandle handle = h.create("Nightly");
        h.advance(Duration.ofMinutes(10));

        BackupRecord ended = h.stored(handle.backupId());
        assertThat(h.probe.verificationCount(Harness.PROJECT, Harness.INSTANCE)).isEqualTo(expectedAttempts);
        assertThat(ended.status()).isEqualTo(BackupStatus.FAILED);
        assertThat(ended.failure().code()).isEqualTo(ErrorCode.VERIFICATION_DDL_RUNNING);
        assertThat(ended.endTime()).isEqualTo(ended.beginTime().plus(Harness.RETRY_DELAY
                .multipliedBy(expectedAttempts - 1)));
    }

    @ParameterizedTest(name = "DDL at the first {0} attempts with maxElapsed 60 s")
    @CsvSource({"1", "2"})
    @DisplayName("completes when an attempt inside maxElapsed verifies")
    void completesInsideMaxElapsed(int ddlAttempts) {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).delay(Harness.RETRY_DELAY).multiplier(1.0)
                .maxDelay(Harness.RETRY_DELAY).jitter(0).maxElapsed(Duration.ofSeconds(60)).build();
        Harness h = new Harness(b -> b.retryPolicy(policy));
        h.probe.instance(Harness.PROJECT, Harness.INSTANCE).ddlRunningFor(ddlAttempts);
        BackupHandle handle = h.create("Nightly");
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(handle.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.probe.verificationCount(Harness.PROJECT, Harness.INSTANCE)).isEqualTo(ddlAttempts + 1);
    }
}
