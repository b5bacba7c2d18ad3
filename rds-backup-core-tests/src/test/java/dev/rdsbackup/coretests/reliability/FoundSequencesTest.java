package dev.rdsbackup.coretests.reliability;

import dev.rdsbackup.coretests.reliability.FaultPlan.Mode;
import dev.rdsbackup.coretests.reliability.FaultPlan.Op;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Shrunk sequences the lifecycle state machine found with random seeds, replayed step by step on the same
 * {@link World}, with every invariant checked after each step and once healed: each was a real bug.
 */
@DisplayName("Sequences the state machine found")
class FoundSequencesTest {
    private static final int REPLICA_A = 0;
    private static final int REPLICA_B = 1;
    private static final int INSTANCE_1 = 0;
    private static final int INSTANCE_2 = 1;

    @Test
    @DisplayName("seed 5129840255595589237: two replicas fail an orphan at the same instant, one write in doubt:"
            + " its ending is told once")
    void orphanFailedTwiceAtOnce() {
        World w = new World();
        Quiet.run(() -> {
            w.probeFault(INSTANCE_1, World.ProbeFault.HANG, 2);
            w.create(REPLICA_A, INSTANCE_1, 0, 0, 0, false);
            w.advance(Duration.ofSeconds(21));
            w.checkInvariants();
            w.storeFault(Op.RENEW, Mode.COMMIT_THEN_THROW_AND_REREADS_FAIL, 2);
            w.storeFault(Op.CAS, Mode.THROW, 3);
            w.cancel(REPLICA_B, 0, false);
            w.checkInvariants();
            w.close(REPLICA_B);
            w.checkInvariants();
            w.cancel(REPLICA_B, 0, false);
            w.checkInvariants();
            w.close(REPLICA_A);
            w.checkInvariants();
            w.advance(Duration.ofMinutes(2));
            w.checkInvariants();
            w.healAndSettle();
            w.checkSettled();
        });
    }

    @Test
    @DisplayName("seed 3663533725466208360: a failed delete asked again on a replica that crashes is finished by"
            + " the first replica, which tells onDeleted after onDeleteFailed")
    void deleteAskedAgainElsewhereFinishedHere() {
        World w = new World();
        Quiet.run(() -> {
            w.engine.failNextDeletes(1);
            w.create(REPLICA_A, INSTANCE_1, 0, 0, 0, false);
            w.checkInvariants();
            w.cancel(REPLICA_A, 0, false);
            w.checkInvariants();
            w.storeFault(Op.DELETE, Mode.THROW, 1);
            w.delete(REPLICA_A, 0, false);
            w.checkInvariants();
            w.delete(REPLICA_B, 0, false);
            w.checkInvariants();
            w.crash();
            w.checkInvariants();
            w.healAndSettle();
            w.checkSettled();
        });
    }

    @Test
    @DisplayName("seed -9210488186566483462: a cancel in doubt whose check the scheduler refused is still told,"
            + " by the reconciler")
    void endingCheckRefused() {
        World w = new World();
        Quiet.run(() -> {
            w.schedulerFault(REPLICA_B, false, 1);
            w.create(REPLICA_A, INSTANCE_2, 0, 0, 0, false);
            w.checkInvariants();
            w.storeFault(Op.CAS, Mode.COMMIT_THEN_THROW, 1);
            w.storeFault(Op.FIND, Mode.THROW, 3);
            w.instanceDeleted(REPLICA_B, INSTANCE_2);
            w.checkInvariants();
            w.healAndSettle();
            w.checkSettled();
        });
    }
}
