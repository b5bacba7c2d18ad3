package dev.rdsbackup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.core.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The manual scheduler")
class ManualSchedulerTest {

    private final SettableClock clock = new SettableClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<String> ran = new ArrayList<>();

    @Test
    @DisplayName("runs nothing until asked")
    void runsNothingByItself() {
        scheduler.execute(() -> ran.add("now"));

        assertThat(ran).isEmpty();
        assertThat(scheduler.pendingCount()).isEqualTo(1);
        assertThat(scheduler.runPending()).isEqualTo(1);
        assertThat(ran).containsExactly("now");
    }

    @Test
    @DisplayName("runs delayed tasks in due order, each at its due time")
    void runsInDueOrderAtDueTime() {
        List<Instant> seen = new ArrayList<>();
        scheduler.schedule(() -> seen.add(clock.instant()), Duration.ofSeconds(30));
        scheduler.schedule(() -> seen.add(clock.instant()), Duration.ofSeconds(10));

        scheduler.advance(Duration.ofMinutes(1));

        Instant start = SettableClock.DEFAULT_START;
        assertThat(seen).containsExactly(start.plusSeconds(10), start.plusSeconds(30));
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(60));
    }

    @Test
    @DisplayName("runs tasks due at the same time in submission order")
    void tiesRunInSubmissionOrder() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            scheduler.schedule(() -> ran.add("t" + n), Duration.ofSeconds(5));
        }

        scheduler.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("t0", "t1", "t2", "t3", "t4");
    }

    @Test
    @DisplayName("leaves tasks due later than the window waiting")
    void leavesLaterTasks() {
        scheduler.schedule(() -> ran.add("late"), Duration.ofMinutes(2));

        assertThat(scheduler.advance(Duration.ofMinutes(1))).isZero();
        assertThat(scheduler.nextDueTime()).contains(SettableClock.DEFAULT_START.plusSeconds(120));
        assertThat(scheduler.advanceToNextTask()).isEqualTo(1);
        assertThat(ran).containsExactly("late");
    }

    @Test
    @DisplayName("runs tasks that tasks schedule inside the window")
    void runsChainedTasks() {
        scheduler.schedule(() -> {
            ran.add("first");
            scheduler.schedule(() -> ran.add("second"), Duration.ofSeconds(10));
        }, Duration.ofSeconds(10));

        scheduler.advance(Duration.ofSeconds(25));

        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    @DisplayName("never runs a cancelled task, and reports whether cancel stopped it")
    void cancels() {
        TaskScheduler.ScheduledTask task = scheduler.schedule(() -> ran.add("cancelled"), Duration.ofSeconds(1));

        assertThat(task.cancel()).isTrue();
        assertThat(task.cancel()).isFalse();
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(ran).isEmpty();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    @DisplayName("answers false when cancelling a task that already ran")
    void cancelAfterRun() {
        TaskScheduler.ScheduledTask task = scheduler.schedule(() -> ran.add("ran"), Duration.ZERO);
        scheduler.runPending();

        assertThat(task.cancel()).isFalse();
    }

    @Test
    @DisplayName("records and rethrows the exception of a failing task")
    void rethrowsTaskFailure() {
        scheduler.execute(() -> {
            throw new IllegalStateException("boom");
        });

        assertThatThrownBy(scheduler::runPending).hasMessage("boom");
        assertThat(scheduler.taskFailures()).hasSize(1);
    }

    @Test
    @DisplayName("throws away pending work when the process is said to crash")
    void discardsPending() {
        scheduler.schedule(() -> ran.add("never"), Duration.ofSeconds(1));

        assertThat(scheduler.discardPending()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(ran).isEmpty();
    }

    @Test
    @DisplayName("in strict mode refuses work from another thread and reports it at the next run")
    void strictModeFailsLoudly() throws Exception {
        ManualScheduler strict = ManualScheduler.strict(clock);

        CompletableFuture<Void> escaped = CompletableFuture.runAsync(() -> strict.execute(() -> { }));

        assertThatThrownBy(() -> escaped.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(strict.threadViolations()).hasSize(1);
        assertThat(strict.pendingCount()).isZero();
        assertThatThrownBy(strict::runPending).isInstanceOf(AssertionError.class)
                .hasMessageContaining("escaped to a real thread");
    }

    @Test
    @DisplayName("in lenient mode accepts work from any thread")
    void lenientModeAcceptsOtherThreads() throws Exception {
        CompletableFuture.runAsync(() -> scheduler.execute(() -> ran.add("from elsewhere"))).get(10, TimeUnit.SECONDS);

        scheduler.runPending();

        assertThat(ran).containsExactly("from elsewhere");
    }
}
