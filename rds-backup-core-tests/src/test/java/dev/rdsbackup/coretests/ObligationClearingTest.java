package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The last step of an ending: after the copy is stopped and the lock released, the lock and the lease are
 * cleared from the record. A store that fails that clearing write must not leave the obligation behind.
 */
@DisplayName("Clearing an ended backup's lock and lease")
class ObligationClearingTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** Fails the next {@code failures} writes that clear the lock of an ended record. */
    static final class FailingClearStore extends ForwardingBackupStore {
        int failures;
        int failed;
        int findFailures;
        int commitsThenThrows;

        @Override
        public Optional<BackupRecord> find(String backupId) {
            if (findFailures > 0) {
                findFailures--;
                throw new IllegalStateException("injected: the store refused a read");
            }
            return delegate().find(backupId);
        }

        FailingClearStore(BackupStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = delegate().find(next.id());
            boolean clearing = current.isPresent() && current.get().lock() != null && next.lock() == null
                    && next.status().isTerminal();
            if (clearing && failures > 0) {
                failures--;
                failed++;
                throw new IllegalStateException("injected: the store refused the clearing write");
            }
            if (clearing && commitsThenThrows > 0) {
                commitsThenThrows--;
                delegate().compareAndSet(next, expectedVersion);
                findFailures = 3; // the connection stays down for the read-backs
                throw new IllegalStateException("injected: connection lost after the clearing write committed");
            }
            return delegate().compareAndSet(next, expectedVersion);
        }
    }

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final FailingClearStore store = new FailingClearStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-c", h.scheduler).store(store)
            .leaseDuration(LEASE).build();

    private String copying() {
        return h.copying(service).backupId();
    }

    @Test
    @DisplayName("that fails twice is tried again: the lock is released once, then lock and lease are cleared")
    void clearingRetried() {
        String id = copying();
        store.failures = 2;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        assertThat(store.failed).as("clearing writes refused so far").isEqualTo(1);
        BackupRecord owed = h.stored(id);
        assertThat(owed.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(owed.lease()).as("the obligation stays recorded while it is owed").isNotNull();

        h.advance(LEASE);
        assertThat(store.failed).as("clearing writes refused in all").isEqualTo(2);
        BackupRecord cleared = h.stored(id);
        assertThat(cleared.lock()).isNull();
        assertThat(cleared.lease()).isNull();
        assertThat(h.engine.isRunning(id)).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.CANCELLED);
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("left owed by a replica that died is finished by another replica's reconciler")
    void clearingTakenOver() {
        String id = copying();
        store.failures = Integer.MAX_VALUE;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        assertThat(h.stored(id).lease()).isNotNull();
        // The replica dies here; another one, on the healthy store, reconciles once the lease expired.
        SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));
        b.advanceAlone(LEASE.plusSeconds(1));
        b.service.recover();
        b.scheduler.runPending();
        BackupRecord cleared = h.stored(id);
        assertThat(cleared.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(cleared.lock()).isNull();
        assertThat(cleared.lease()).isNull();
        assertThat(h.probe.heldLocks()).isEmpty();
        assertThat(h.probe.unknownLockReleases()).isEmpty();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.CANCELLED);
    }

    @Test
    @DisplayName("whose retry cannot read the record either reads again later, then clears")
    void retryReadFails() {
        String id = copying();
        store.failures = 1;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        store.findFailures = 1;
        h.advance(Duration.ofSeconds(1)); // the retry: its read fails
        assertThat(store.findFailures).isZero();
        assertThat(h.stored(id).lease()).as("still owed").isNotNull();
        h.advance(Duration.ofSeconds(5));
        BackupRecord cleared = h.stored(id);
        assertThat(cleared.lock()).isNull();
        assertThat(cleared.lease()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.CANCELLED);
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("taken over by another replica while the owner waits to retry: the owner lets go without writing")
    void takenOverBeforeTheRetry() {
        String id = copying();
        store.failures = 1;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        // The owner is paused (its scheduler does not run); another replica finishes the work after the lease.
        SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));
        b.advanceAlone(LEASE.plusSeconds(1));
        b.service.recover();
        b.scheduler.runPending();
        BackupRecord byB = h.stored(id);
        assertThat(byB.lease()).isNull();
        int failedBefore = store.failed;
        h.settle(); // the owner's retry falls due now
        assertThat(store.failed).isEqualTo(failedBefore);
        assertThat(h.stored(id)).as("the owner wrote nothing more").isEqualTo(byB);
        assertThat(service.inFlight()).isZero();
        assertThat(h.probe.heldLocks()).isEmpty();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.CANCELLED);
    }

    @Test
    @DisplayName("still owed when the replica closes is handed over: another replica finishes it at once")
    void handedOverAtClose() {
        String id = copying();
        store.failures = Integer.MAX_VALUE;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        service.close();
        for (int i = 0; i < 100 && !service.closed().toCompletableFuture().isDone(); i++) {
            h.advance(Duration.ofSeconds(5));
        }
        assertThat(service.closed().toCompletableFuture()).isDone();
        assertThat(h.stored(id).lease().expiresAt()).as("expired at hand-over").isBeforeOrEqualTo(h.clock.instant());
        SecondReplica b = new SecondReplica(h, builder -> builder.leaseDuration(LEASE));
        b.service.recover(); // no wait for the lease
        b.scheduler.runPending();
        assertThat(h.stored(id).lease()).isNull();
        assertThat(h.probe.heldLocks()).isEmpty();
    }

    @Test
    @DisplayName("whose retry the scheduler refused is run by the next lease tick")
    void refusedRetryKicked() {
        FirstTaskRefusedTest.RefusingScheduler refusing = new FirstTaskRefusedTest.RefusingScheduler(h.scheduler);
        DefaultBackupService owner = h.baseBuilder("replica-k", h.scheduler).scheduler(refusing).store(store)
                .random(new java.util.SplittableRandom(11)).leaseDuration(LEASE).build();
        h.engine.holdCopies();
        h.probe.addInstance(Harness.PROJECT, "inst-k");
        String id = owner.create(Harness.request("Nightly").instanceId("inst-k").build()).backupId();
        h.settle();
        store.failures = 1;
        refusing.refusals = 1; // the retry of the failed clearing write
        owner.cancel(Harness.PROJECT, id);
        h.settle();
        assertThat(refusing.refused).as("the retry was refused").isEqualTo(1);
        assertThat(h.stored(id).lease()).as("still owed").isNotNull();
        h.advance(LEASE.dividedBy(3).plusSeconds(1)); // the next lease tick kicks the refused retry
        assertThat(h.stored(id).lease()).isNull();
        assertThat(h.stored(id).lock()).isNull();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(owner.inFlight()).isZero();
    }

    @Test
    @DisplayName("that commits and then throws, with the read-backs failing too, is recognised as this replica's own"
            + " on the retry: the ending is told once")
    void clearingCommittedThenThrew() {
        String id = copying();
        store.commitsThenThrows = 1;
        service.cancel(Harness.PROJECT, id);
        h.settle();
        assertThat(store.commitsThenThrows).isZero();
        assertThat(h.stored(id).lease()).as("the write landed").isNull();
        h.advance(LEASE);
        assertThat(service.inFlight()).isZero();
        h.probe.assertEveryLockReleasedExactlyOnce();
        assertThat(h.events.kinds(id)).containsOnlyOnce(Kind.CANCELLED);
    }
}
