package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The settable clock")
class SettableClockTest {

    @Test
    @DisplayName("starts at the default instant in UTC and stands still")
    void startsFixed() {
        SettableClock clock = new SettableClock();

        assertThat(clock.instant()).isEqualTo(SettableClock.DEFAULT_START).isEqualTo(clock.instant());
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.millis()).isEqualTo(SettableClock.DEFAULT_START.toEpochMilli());
    }

    @Test
    @DisplayName("moves forward by a tick and to an instant it is set to")
    void ticksAndSets() {
        SettableClock clock = new SettableClock();

        assertThat(clock.tick(Duration.ofMinutes(3))).isEqualTo(SettableClock.DEFAULT_START.plusSeconds(180));
        clock.set(Instant.parse("2020-01-01T00:00:00Z"));

        assertThat(clock.instant()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    }

    @Test
    @DisplayName("refuses a negative tick")
    void refusesNegativeTick() {
        assertThatThrownBy(() -> new SettableClock().tick(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("never moves back when advanced to an earlier instant")
    void advanceToNeverGoesBack() {
        SettableClock clock = new SettableClock();

        assertThat(clock.advanceTo(SettableClock.DEFAULT_START.minusSeconds(5))).isEqualTo(SettableClock.DEFAULT_START);
    }

    @Test
    @DisplayName("shares its time with a view in another zone")
    void zoneViewSharesTime() {
        SettableClock clock = new SettableClock();
        SettableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.tick(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
