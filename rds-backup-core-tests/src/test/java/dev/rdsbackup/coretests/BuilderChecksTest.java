package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The builders check their arguments and name the bad one")
class BuilderChecksTest {
    /** The longest duration any setting accepts: 365 days. */
    static final Duration MAX = DefaultBackupService.Builder.MAX_DURATION;
    static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private final Harness h = new Harness();

    private DefaultBackupService.Builder builder() {
        return h.baseBuilder("replica-x", h.scheduler);
    }

    @Nested
    @DisplayName("DefaultBackupService.Builder")
    class Service {
        static Stream<Arguments> nulls() {
            return Stream.of(
                    Arguments.of("store", (Consumer<DefaultBackupService.Builder>) b -> b.store(null)),
                    Arguments.of("probe", (Consumer<DefaultBackupService.Builder>) b -> b.probe(null)),
                    Arguments.of("engine", (Consumer<DefaultBackupService.Builder>) b -> b.engine(null)),
                    Arguments.of("clock", (Consumer<DefaultBackupService.Builder>) b -> b.clock(null)),
                    Arguments.of("scheduler", (Consumer<DefaultBackupService.Builder>) b -> b.scheduler(null)),
                    Arguments.of("retryPolicy", (Consumer<DefaultBackupService.Builder>) b -> b.retryPolicy(null)),
                    Arguments.of("listener", (Consumer<DefaultBackupService.Builder>) b -> b.listener(null)),
                    Arguments.of("validator", (Consumer<DefaultBackupService.Builder>) b -> b.validator(null)),
                    Arguments.of("factory", (Consumer<DefaultBackupService.Builder>) b -> b.validatorFactory(null)),
                    Arguments.of("replicaId", (Consumer<DefaultBackupService.Builder>) b -> b.replicaId(null)),
                    Arguments.of("leaseDuration",
                            (Consumer<DefaultBackupService.Builder>) b -> b.leaseDuration(null)),
                    Arguments.of("verificationTimeout",
                            (Consumer<DefaultBackupService.Builder>) b -> b.verificationTimeout(null)),
                    Arguments.of("random", (Consumer<DefaultBackupService.Builder>) b -> b.random(null)),
                    Arguments.of("idGenerator", (Consumer<DefaultBackupService.Builder>) b -> b.idGenerator(null)),
                    Arguments.of("perTableCost",
                            (Consumer<DefaultBackupService.Builder>) b -> b.estimate(1, null)),
                    Arguments.of("stallTimeout", (Consumer<DefaultBackupService.Builder>) b -> b.stallTimeout(null)),
                    Arguments.of("recoveryInterval",
                            (Consumer<DefaultBackupService.Builder>) b -> b.recoveryInterval(null)),
                    Arguments.of("shutdownGracePeriod",
                            (Consumer<DefaultBackupService.Builder>) b -> b.shutdownGracePeriod(null)));
        }

        @ParameterizedTest(name = "{0}(null)")
        @MethodSource("nulls")
        @DisplayName("refuse null, naming the argument")
        void refuseNull(String name, Consumer<DefaultBackupService.Builder> call) {
            assertThatThrownBy(() -> call.accept(builder())).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining(name);
        }

        static Stream<Arguments> badValues() {
            return Stream.of(
                    Arguments.of("maxTableCount", (Consumer<DefaultBackupService.Builder>) b -> b.maxTableCount(0)),
                    Arguments.of("manualBackupQuota",
                            (Consumer<DefaultBackupService.Builder>) b -> b.manualBackupQuota(0)),
                    Arguments.of("replicaId", (Consumer<DefaultBackupService.Builder>) b -> b.replicaId("")),
                    Arguments.of("replicaId", (Consumer<DefaultBackupService.Builder>) b -> b.replicaId("a b")),
                    Arguments.of("replicaId",
                            (Consumer<DefaultBackupService.Builder>) b -> b.replicaId("r".repeat(65))),
                    Arguments.of("leaseDuration", (Consumer<DefaultBackupService.Builder>) b ->
                            b.leaseDuration(Duration.ofSeconds(3).minusNanos(1))),
                    Arguments.of("verificationTimeout", (Consumer<DefaultBackupService.Builder>) b ->
                            b.verificationTimeout(Duration.ZERO)),
                    Arguments.of("verificationTimeout", (Consumer<DefaultBackupService.Builder>) b ->
                            b.verificationTimeout(Duration.ofSeconds(-1))),
                    Arguments.of("stallTimeout", (Consumer<DefaultBackupService.Builder>) b ->
                            b.stallTimeout(Duration.ZERO)),
                    Arguments.of("stallTimeout", (Consumer<DefaultBackupService.Builder>) b ->
                            b.stallTimeout(Duration.ofSeconds(-1))),
                    Arguments.of("recoveryInterval", (Consumer<DefaultBackupService.Builder>) b ->
                            b.recoveryInterval(Duration.ZERO)),
                    Arguments.of("shutdownGracePeriod", (Consumer<DefaultBackupService.Builder>) b ->
                            b.shutdownGracePeriod(Duration.ofSeconds(-1))),
                    Arguments.of("bytesPerSecond", (Consumer<DefaultBackupService.Builder>) b ->
                            b.estimate(0, Duration.ZERO)),
                    Arguments.of("perTableCost", (Consumer<DefaultBackupService.Builder>) b ->
                            b.estimate(1, Duration.ofNanos(-1))));
        }

        @ParameterizedTest(name = "{0}: {index}")
        @MethodSource("badValues")
        @DisplayName("refuse values out of range with an IllegalArgumentException naming the setting")
        void refuseBadValues(String name, Consumer<DefaultBackupService.Builder> call) {
            assertThatThrownBy(() -> call.accept(builder())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }

        @Test
        @DisplayName("accept the smallest values in range")
        void acceptBoundaries() {
            assertThatCode(() -> builder().maxTableCount(1).manualBackupQuota(1).replicaId("r".repeat(64))
                    .leaseDuration(Duration.ofSeconds(3)).verificationTimeout(Duration.ofNanos(1000))
                    .stallTimeout(Duration.ofNanos(1000)).estimate(1, Duration.ZERO)
                    .recoveryInterval(Duration.ofNanos(1000)).shutdownGracePeriod(Duration.ofNanos(1000)).build())
                    .doesNotThrowAnyException();
        }

        static Stream<Arguments> durations() {
            return Stream.of(
                    Arguments.of("leaseDuration", (DurationSetter) (b, d) -> b.leaseDuration(d)),
                    Arguments.of("verificationTimeout", (DurationSetter) (b, d) -> b.verificationTimeout(d)),
                    Arguments.of("stallTimeout", (DurationSetter) (b, d) -> b.stallTimeout(d)),
                    Arguments.of("recoveryInterval", (DurationSetter) (b, d) -> b.recoveryInterval(d)),
                    Arguments.of("shutdownGracePeriod", (DurationSetter) (b, d) -> b.shutdownGracePeriod(d)),
                    Arguments.of("perTableCost", (DurationSetter) (b, d) -> b.estimate(1, d)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("durations")
        @DisplayName("refuse durations over 365 days (such as ChronoUnit.FOREVER), naming the setting and the "
                + "maximum, and accept exactly 365 days")
        void refuseUnschedulableDurations(String name, DurationSetter setter) {
            for (Duration tooLong : new Duration[] {MAX.plusNanos(1000), FOREVER}) {
                assertThatThrownBy(() -> setter.set(builder(), tooLong)).as("%s(%s)", name, tooLong)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(name).hasMessageContaining(MAX.toString());
            }
            assertThatCode(() -> setter.set(builder(), MAX)).doesNotThrowAnyException();
        }

        @Test
        @DisplayName("build() names every missing adapter at once")
        void buildNamesWhatIsMissing() {
            assertThatThrownBy(() -> DefaultBackupService.builder().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("store").hasMessageContaining("probe").hasMessageContaining("engine")
                    .hasMessageContaining("clock").hasMessageContaining("scheduler");
            assertThatThrownBy(() -> DefaultBackupService.builder().store(h.store).probe(h.probe).engine(h.engine)
                    .clock(h.clock).build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("scheduler").hasMessageNotContaining("store");
        }

        @Test
        @DisplayName("build() without a replica id or id generator still gives every replica and backup an id")
        void defaults() {
            DefaultBackupService one = DefaultBackupService.builder().store(h.store).probe(h.probe)
                    .engine(h.engine).clock(h.clock).scheduler(h.scheduler).build();
            DefaultBackupService two = DefaultBackupService.builder().store(h.store).probe(h.probe)
                    .engine(h.engine).clock(h.clock).scheduler(h.scheduler).build();
            assertThat(one.replicaId()).matches("[A-Za-z0-9_-]{1,64}").isNotEqualTo(two.replicaId());
            String id = one.create(Harness.request("Nightly").build()).backupId();
            assertThat(id).matches("[A-Za-z0-9_-]{1,64}");
        }
    }

    /** Sets one duration on a builder. */
    @FunctionalInterface
    interface DurationSetter {
        void set(DefaultBackupService.Builder builder, Duration value);
    }

    @Nested
    @DisplayName("RetryPolicy.Builder")
    class Retry {
        @Test
        @DisplayName("has the same maximum as the service's builder")
        void sameMaximum() {
            assertThat(RetryPolicy.MAX_DURATION).isEqualTo(MAX).isEqualTo(Duration.ofDays(365));
        }

        @Test
        @DisplayName("refuses delays and windows over 365 days, naming the setting and the maximum")
        void refuseUnschedulableDurations() {
            assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(FOREVER).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay")
                    .hasMessageContaining(MAX.toString());
            assertThatThrownBy(() -> RetryPolicy.builder().maxDelay(FOREVER).delay(FOREVER).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(MAX.toString());
            assertThatThrownBy(() -> RetryPolicy.builder().maxElapsed(MAX.plusSeconds(1)).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxElapsed")
                    .hasMessageContaining(MAX.toString());
            assertThatCode(() -> RetryPolicy.builder().maxDelay(MAX).maxElapsed(MAX).build())
                    .doesNotThrowAnyException();
        }

        @Test
        @DisplayName("never computes a delay that overflows, whatever the attempt number")
        void noOverflow() {
            RetryPolicy policy = RetryPolicy.builder().maxAttempts(Integer.MAX_VALUE).multiplier(10).maxDelay(MAX)
                    .jitter(0).build();
            assertThat(policy.delayAfter(Integer.MAX_VALUE - 1, new java.util.SplittableRandom(1)))
                    .isLessThanOrEqualTo(MAX).isPositive();
        }
    }
}
