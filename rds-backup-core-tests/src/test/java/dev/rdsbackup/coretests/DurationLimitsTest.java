package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.DisplayName;

/** Issue 11, item 8: durations the service cannot schedule are refused by the builders, naming the setting. */
@DisplayName("Builders refuse a duration they cannot schedule")
class DurationLimitsTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("leaseDuration", (Consumer<Duration>) d -> DefaultBackupService.builder().leaseDuration(d)),
                Arguments.of("stallTimeout", (Consumer<Duration>) d -> DefaultBackupService.builder().stallTimeout(d)),
                Arguments.of("verificationTimeout",
                        (Consumer<Duration>) d -> DefaultBackupService.builder().verificationTimeout(d)),
                Arguments.of("recoveryInterval",
                        (Consumer<Duration>) d -> DefaultBackupService.builder().recoveryInterval(d)),
                Arguments.of("shutdownGracePeriod",
                        (Consumer<Duration>) d -> DefaultBackupService.builder().shutdownGracePeriod(d)),
                Arguments.of("delay", (Consumer<Duration>) d -> RetryPolicy.builder().delay(d).maxDelay(d).build()),
                Arguments.of("maxDelay", (Consumer<Duration>) d -> RetryPolicy.builder().maxDelay(d).build()),
                Arguments.of("maxElapsed", (Consumer<Duration>) d -> RetryPolicy.builder().maxElapsed(d).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    @DisplayName("ChronoUnit.FOREVER is refused with the setting's name and the maximum")
    void forever(String name, Consumer<Duration> set) {
        assertThatThrownBy(() -> set.accept(FOREVER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name).hasMessageContaining("at most PT8760H");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    @DisplayName("one nanosecond over a year is refused")
    void justOver(String name, Consumer<Duration> set) {
        assertThatThrownBy(() -> set.accept(DefaultBackupService.Builder.MAX_DURATION.plusNanos(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    @DisplayName("zero and negative are refused")
    void notPositive(String name, Consumer<Duration> set) {
        assertThatThrownBy(() -> set.accept(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(() -> set.accept(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }
}
