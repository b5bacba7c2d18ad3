package dev.rdsbackup.coretests;

import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ManualScheduler;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A second replica ("replica-b") sharing the harness's store, fakes, clock and listener, with its own
 * scheduler; and virtual time that runs both replicas' due work, second by second.
 */
final class SecondReplica {
    final ManualScheduler scheduler;
    final DefaultBackupService service;
    private final Harness h;

    SecondReplica(Harness h) {
        this(h, b -> b);
    }

    SecondReplica(Harness h, UnaryOperator<DefaultBackupService.Builder> customize) {
        this.h = h;
        this.scheduler = ManualScheduler.strict(h.clock);
        this.service = customize.apply(h.baseBuilder("replica-b", scheduler)).build();
    }

    /** Moves time, running the due work of both replicas at every second. */
    void advanceBoth(Duration amount) {
        for (long s = 0; s < amount.toSeconds(); s++) {
            h.scheduler.advance(Duration.ofSeconds(1));
            scheduler.runPending();
        }
    }

    /** Moves time, running only this replica's due work (the harness's replica is dead or paused). */
    void advanceAlone(Duration amount) {
        scheduler.advance(amount);
    }

    /** Runs what is due now on both replicas. */
    void settleBoth() {
        for (int i = 0; i < 3; i++) {
            h.scheduler.runPending();
            scheduler.runPending();
        }
    }
}
