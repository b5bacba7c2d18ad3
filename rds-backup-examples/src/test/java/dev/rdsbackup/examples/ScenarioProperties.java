package dev.rdsbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ScenarioProperties {

    @Property(tries = 12)
    @Label("every seed and fleet size plays the whole scenario, completes the fleet and leaves no backup lock held")
    void everySeedPlaysThrough(@ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int instances) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Scenario(new DemoOptions(instances, seed, false), new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .play();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Done: " + (5 + instances) + " backups stored")
                .endsWith("backup locks still held: 0.\n")
                .contains("bk-0002 COMPLETED").contains("bk-0003 FAILED     VERIFICATION_LOCK_NOT_OBTAINED");
        assertThat(out.lines().filter(l -> l.matches("  bk-\\d{4}  fleet-\\d{3} .*COMPLETED.*"))).hasSize(instances);
    }
}
