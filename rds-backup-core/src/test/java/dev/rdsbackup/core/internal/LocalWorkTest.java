package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.core.TaskScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The queues of a replica's backups")
class LocalWorkTest {
    /** Runs at once; refuses on demand. */
    private static final class InlineScheduler implements TaskScheduler {
        boolean refuse;

        @Override
        public void execute(Runnable task) {
            if (refuse) {
                throw new IllegalStateException("refused");
            }
            task.run();
        }

        @Override
        public ScheduledTask schedule(Runnable task, Duration delay) {
            throw new UnsupportedOperationException("not used");
        }
    }

    private final InlineScheduler scheduler = new InlineScheduler();
    private final LocalWork local = new LocalWork(new Scheduling(scheduler, Clock.systemUTC()));

    private static LocalWork.Work work(String id) {
        return new LocalWork.Work() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void kick() {
            }

            @Override
            public boolean owesStep() {
                return false;
            }

            @Override
            public void leaseNotRenewed() {
            }

            @Override
            public void handOver() {
            }
        };
    }

    @Test
    @DisplayName("are swept as backups end, so a busy replica keeps about as many as it has work, not one per backup ever")
    void boundedByWork() {
        for (int i = 0; i < 100_000; i++) {
            String id = "b" + i;
            LocalWork.Work w = work(id);
            local.queue(id).runHere(() -> local.hold(w));
            local.release(w);
        }
        assertThat(local.queueCount()).isLessThanOrEqualTo(2 * 1024);
    }

    @Test
    @DisplayName("are never swept while their backup has work, nor when made just before a sweep")
    void keptWhileNeeded() {
        List<SerialQueue> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "held-" + i;
            held.add(local.queue(id));
            local.hold(work(id));
        }
        SerialQueue fresh = local.queue("fresh"); // taken, not held yet: work takes its queue, then holds
        local.sweep();
        assertThat(local.queue("fresh")).isSameAs(fresh);
        local.hold(work("fresh"));
        for (int round = 0; round < 3; round++) {
            local.sweep();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(local.queue("held-" + i)).isSameAs(held.get(i));
        }
        assertThat(local.queue("fresh")).isSameAs(fresh);
    }

    @Test
    @DisplayName("that the scheduler refused to drain are known without reading every queue, and kicked again")
    void stalledQueues() {
        assertThat(local.anyStalled()).isFalse();
        scheduler.refuse = true;
        int[] ran = new int[1];
        local.queue("b1").submit(() -> ran[0]++);
        assertThat(ran[0]).isZero();
        assertThat(local.anyStalled()).isTrue();
        assertThat(local.anyQueued()).isTrue();
        scheduler.refuse = false;
        local.kickQueued();
        assertThat(ran[0]).isOne();
        assertThat(local.anyStalled()).isFalse();
        assertThat(local.anyQueued()).isFalse();
    }
}
