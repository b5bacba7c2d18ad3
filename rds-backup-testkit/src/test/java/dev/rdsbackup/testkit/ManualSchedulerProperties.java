package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ManualSchedulerProperties {

    private record Ran(int index, long delay, Instant at) {
    }

    @Property
    @Label("runs every task due in the window once, in due order, ties in submission order, at its due time")
    void runsInDueOrder(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 120) Integer> delays,
            @ForAll @IntRange(min = 0, max = 150) int window) {
        SettableClock clock = new SettableClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        List<Ran> ran = new ArrayList<>();
        for (int i = 0; i < delays.size(); i++) {
            int index = i;
            long delay = delays.get(i);
            scheduler.schedule(() -> ran.add(new Ran(index, delay, clock.instant())), Duration.ofSeconds(delay));
        }

        scheduler.advance(Duration.ofSeconds(window));

        List<Ran> expected = new ArrayList<>();
        for (int i = 0; i < delays.size(); i++) {
            if (delays.get(i) <= window) {
                expected.add(new Ran(i, delays.get(i), SettableClock.DEFAULT_START.plusSeconds(delays.get(i))));
            }
        }
        expected.sort(Comparator.comparingLong(Ran::delay).thenComparingInt(Ran::index));
        assertThat(ran).containsExactlyElementsOf(expected);
        assertThat(scheduler.pendingCount()).isEqualTo(delays.size() - expected.size());
        assertThat(clock.instant()).isEqualTo(SettableClock.DEFAULT_START.plusSeconds(window));
    }
}
