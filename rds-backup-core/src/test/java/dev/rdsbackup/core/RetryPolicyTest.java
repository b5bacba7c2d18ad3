package dev.rdsbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    @DisplayName("the default policy makes two attempts in all: one automatic retry")
    void defaultsToOneRetry() {
        RetryPolicy policy = RetryPolicy.ofDefaults();
        assertThat(policy.maxAttempts()).isEqualTo(2);
        assertThat(policy.allowsAnotherAttempt(1, Duration.ofSeconds(30))).isTrue();
        assertThat(policy.allowsAnotherAttempt(2, Duration.ofSeconds(30))).isFalse();
    }

    @Test
    @DisplayName("no attempt may start after the maximum elapsed time")
    void maxElapsedStopsRetrying() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).maxElapsed(Duration.ofMinutes(1)).build();
        assertThat(policy.allowsAnotherAttempt(1, Duration.ofSeconds(60))).isTrue();
        assertThat(policy.allowsAnotherAttempt(1, Duration.ofSeconds(61))).isFalse();
    }

    @Test
    @DisplayName("without jitter the delay grows by the multiplier up to the maximum delay")
    void exponentialBackOffIsCapped() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(10).delay(Duration.ofSeconds(1)).multiplier(3)
                .maxDelay(Duration.ofSeconds(20)).jitter(0).build();
        SplittableRandom random = new SplittableRandom(1);
        assertThat(policy.delayAfter(1, random)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2, random)).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.delayAfter(3, random)).isEqualTo(Duration.ofSeconds(9));
        assertThat(policy.delayAfter(4, random)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.delayAfter(40, random)).isEqualTo(Duration.ofSeconds(20));
    }

    @Property
    @Label("a jittered delay stays within the jitter band around the capped delay")
    void jitterStaysInBand(@ForAll @IntRange(min = 1, max = 30) int failedAttempt,
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double jitter,
            @ForAll @LongRange(min = 1, max = 600_000) long delayMillis, @ForAll long seed) {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(50).delay(Duration.ofMillis(delayMillis))
                .maxDelay(Duration.ofMillis(delayMillis * 4)).jitter(jitter).build();
        double capped = Math.min(delayMillis * Math.pow(2.0, failedAttempt - 1), delayMillis * 4.0);
        long millis = policy.delayAfter(failedAttempt, new SplittableRandom(seed)).toMillis();
        assertThat(millis).isGreaterThanOrEqualTo(Math.max(1L, (long) Math.floor(capped * (1 - jitter)) - 1));
        assertThat(millis).isLessThanOrEqualTo((long) Math.ceil(capped * (1 + jitter)) + 1);
    }

    @Test
    @DisplayName("the builder names the setting it refuses")
    void builderNamesBadSettings() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.builder().delay(Duration.ZERO).build()).hasMessageContaining("delay");
        assertThatThrownBy(() -> RetryPolicy.builder().delay(Duration.ofMinutes(10)).build())
                .hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5).build()).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5).build()).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.builder().maxElapsed(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("maxElapsed");
        assertThatThrownBy(() -> RetryPolicy.builder().delay(null).build()).hasMessageContaining("delay");
    }

    @Test
    @DisplayName("toBuilder round-trips a policy")
    void toBuilderRoundTrips() {
        RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).jitter(0).build();
        assertThat(policy.toBuilder().build()).isEqualTo(policy);
    }
}
