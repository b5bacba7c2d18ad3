package dev.rdsbackup.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

@Label("The API's time format")
class WireTimeProperties {

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
                .flatMap(s -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(s, n)));
    }

    @Property
    @Label("an instant written and read back is the same instant cut to the second")
    void roundTrip(@ForAll("instants") Instant instant) {
        String wire = WireTime.format(instant);

        assertThat(wire).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+0000");
        assertThat(WireTime.parse(wire)).contains(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    @Property
    @Label("the same instant written with any offset reads as that instant")
    void anyOffset(@ForAll("instants") Instant instant, @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int minutes) {
        Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(minutes * 60);
        String wire = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx").format(second.atOffset(offset));

        if (wire.length() == 24) {
            assertThat(WireTime.parse(wire)).contains(second);
        }
    }

    @Property
    @Label("any other text is refused, never thrown at")
    void garbage(@ForAll String text) {
        if (!text.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}")) {
            assertThat(WireTime.parse(text)).isEmpty();
        }
    }

    @Property
    @Label("a valid time with one character changed to a letter is refused")
    void oneCharacterOff(@ForAll("instants") Instant instant, @ForAll @IntRange(min = 0, max = 23) int at) {
        char[] wire = WireTime.format(instant).toCharArray();
        if (wire[at] == 'T') {
            return;
        }
        wire[at] = 'x';

        assertThat(WireTime.parse(new String(wire))).isEmpty();
    }
}
