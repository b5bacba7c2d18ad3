package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupProgress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EstimatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Estimator estimator = new Estimator(100, Duration.ofMillis(10));

    @Test
    @DisplayName("the estimate grows with the data size and with the table count")
    void estimateDependsOnDataAndTables() {
        assertThat(estimator.estimate(1_000, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(estimator.estimate(1_000, 500)).isEqualTo(Duration.ofSeconds(15));
        assertThat(estimator.estimate(2_000, 500)).isGreaterThan(estimator.estimate(1_000, 500));
    }

    @Test
    @DisplayName("an absurd size gives a capped estimate instead of an overflow")
    void hugeInputsAreCapped() {
        assertThat(estimator.estimate(Long.MAX_VALUE, Long.MAX_VALUE)).isPositive();
    }

    @Test
    @DisplayName("reported progress replaces the estimate with the observed rate")
    void progressUsesObservedRate() {
        BackupProgress progress = estimator.update(T0, T0.plusSeconds(10), 250, 1_000, 1_000, 0);
        assertThat(progress.percent()).isEqualTo(25);
        assertThat(progress.estimatedCompletion()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    @DisplayName("an engine that does not know the total falls back to the instance's data size")
    void unknownTotalFallsBack() {
        BackupProgress progress = estimator.update(T0, T0.plusSeconds(1), 500, 0, 1_000, 0);
        assertThat(progress.percent()).isEqualTo(50);
        assertThat(progress.totalBytes()).isEqualTo(1_000);
    }
}
