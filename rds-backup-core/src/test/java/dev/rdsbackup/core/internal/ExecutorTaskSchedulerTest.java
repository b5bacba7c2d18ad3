package dev.rdsbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The scheduler over JDK executors")
class ExecutorTaskSchedulerTest {
    /** A timer that records what it is asked to run and when, and runs nothing by itself. */
    private static final class RecordingTimer extends ScheduledThreadPoolExecutor {
        final List<Runnable> commands = new ArrayList<>();
        final List<Long> delaysNanos = new ArrayList<>();
        boolean refuse;

        RecordingTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            if (refuse) {
                throw new RejectedExecutionException("injected: the timer was shut down");
            }
            commands.add(command);
            delaysNanos.add(unit.toNanos(delay));
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }
    }

    /** An executor that runs in the caller's thread, or refuses while told to. */
    private static final class SwitchableExecutor implements Executor {
        int refusals;
        int ran;

        @Override
        public void execute(Runnable command) {
            if (refusals > 0) {
                refusals--;
                throw new RejectedExecutionException("injected: saturated");
            }
            ran++;
            command.run();
        }
    }

    private final RecordingTimer timer = new RecordingTimer();
    private final SwitchableExecutor executor = new SwitchableExecutor();
    private final ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler(executor, timer);
    private int runs;

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    @DisplayName("hands the timer the delay in nanoseconds: none below zero, at most 366 days")
    void delays() {
        scheduler.schedule(() -> { }, Duration.ofSeconds(-5));
        scheduler.schedule(() -> { }, Duration.ofSeconds(5));
        scheduler.schedule(() -> { }, Duration.ofDays(366));
        scheduler.schedule(() -> { }, Duration.ofDays(1000));
        assertThat(timer.delaysNanos).containsExactly(0L, 5_000_000_000L, Duration.ofDays(366).toNanos(),
                Duration.ofDays(366).toNanos());
    }

    @Test
    @DisplayName("runs a due task on the executor; on one pool the task goes to the timer as it is")
    void handsOver() {
        scheduler.schedule(() -> runs++, Duration.ofSeconds(1));
        timer.commands.get(0).run();
        assertThat(runs).isEqualTo(1);
        assertThat(executor.ran).isEqualTo(1);

        Runnable task = () -> runs++;
        new ExecutorTaskScheduler(timer, timer).schedule(task, Duration.ofSeconds(1));
        assertThat(timer.commands.get(1)).isSameAs(task);
    }

    @Test
    @DisplayName("asks again, after pauses doubling from 100 ms to 10 s, when the executor refuses a due task")
    void refusedWhenDue() {
        executor.refusals = 9;
        scheduler.schedule(() -> runs++, Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            timer.commands.get(i).run();
        }
        assertThat(runs).as("run once the executor takes it").isEqualTo(1);
        assertThat(timer.delaysNanos.subList(1, 10)).containsExactly(ms(100), ms(200), ms(400), ms(800), ms(1600),
                ms(3200), ms(6400), ms(10_000), ms(10_000));
    }

    @Test
    @DisplayName("drops a refused task without throwing only when the timer refuses too")
    void timerRefusesToo() {
        executor.refusals = 1;
        scheduler.schedule(() -> runs++, Duration.ofSeconds(1));
        timer.refuse = true;
        assertThatCode(() -> timer.commands.get(0).run()).doesNotThrowAnyException();
        assertThat(runs).isZero();
    }

    @Test
    @DisplayName("a cancelled task never runs, and cancel says whether it stopped it")
    void cancel() {
        ScheduledTask task = scheduler.schedule(() -> runs++, Duration.ofSeconds(1));
        assertThat(task.cancel()).isTrue();
        timer.commands.get(0).run();
        assertThat(runs).isZero();
        assertThat(task.cancel()).as("cancelled already").isFalse();
    }

    @Test
    @DisplayName("names its executors")
    void names() {
        assertThat(scheduler.toString()).isEqualTo("TaskScheduler[" + executor + ", " + timer + "]");
        assertThat(new ExecutorTaskScheduler(timer, timer).toString()).isEqualTo("TaskScheduler[" + timer + "]");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
