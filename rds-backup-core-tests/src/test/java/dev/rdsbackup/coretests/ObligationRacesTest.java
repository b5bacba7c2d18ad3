package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.coretests.faults.ForwardingEngine;
import dev.rdsbackup.testkit.ForwardingBackupStore;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An ended backup's obligations (stop the copy, release the lock, clear lock and lease) racing other
 * writers: a version moved under the clearing write by a renewal is written again; a lease taken by another
 * replica meanwhile makes this one let go without writing or telling.
 */
@DisplayName("An ended backup's obligations, raced")
class ObligationRacesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final Harness h = new Harness();

    /** Changes the record once, just before the first write that clears an ended record's lock. */
    private final class RacingStore extends ForwardingBackupStore {
        private final UnaryOperator<BackupRecord> meanwhile;
        private boolean raced;

        RacingStore(BackupStore delegate, UnaryOperator<BackupRecord> meanwhile) {
            super(delegate);
            this.meanwhile = meanwhile;
        }

        @Override
        public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
            Optional<BackupRecord> current = delegate().find(next.id());
            boolean clearing = current.isPresent() && current.get().lock() != null && next.lock() == null
                    && next.status().isTerminal();
            if (clearing && !raced) {
                raced = true;
                delegate().compareAndSet(meanwhile.apply(current.get()), current.get().version());
            }
            return super.compareAndSet(next, expectedVersion);
        }
    }

    private String cancelled(DefaultBackupService service) {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        service.cancel(Harness.PROJECT, handle.backupId());
        h.settle();
        return handle.backupId();
    }

    private long told(String id) {
        return h.events.kinds(id).stream().filter(k -> k == Kind.CANCELLED).count();
    }

    @Test
    @DisplayName("a clearing write whose version a renewal moved is written again: cleared, told once")
    void versionMovedByARenewal() {
        RacingStore store = new RacingStore(h.store, r -> r); // the same record, one version on
        DefaultBackupService service = h.baseBuilder("replica-o", h.scheduler).store(store).leaseDuration(LEASE)
                .build();
        String id = cancelled(service);
        assertThat(store.raced).isTrue();
        BackupRecord stored = h.stored(id);
        assertThat(stored.status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(stored.lock()).isNull();
        assertThat(stored.lease()).isNull();
        assertThat(told(id)).isOne();
        assertThat(service.inFlight()).isZero();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a clearing write that finds the lease taken by another replica lets go: no write, no event here")
    void takenOverWhileClearing() {
        RacingStore store = new RacingStore(h.store,
                r -> r.toBuilder().lease(new Lease("replica-x", r.lease().expiresAt())).build());
        DefaultBackupService service = h.baseBuilder("replica-o", h.scheduler).store(store).leaseDuration(LEASE)
                .build();
        String id = cancelled(service);
        assertThat(store.raced).isTrue();
        BackupRecord stored = h.stored(id);
        assertThat(stored.lease().owner()).as("left to the replica that took it").isEqualTo("replica-x");
        assertThat(stored.lock()).as("its lock still recorded, for the new owner to release again").isNotNull();
        assertThat(told(id)).as("told by whoever clears it").isZero();
        assertThat(service.inFlight()).isZero();
    }

    @Test
    @DisplayName("waiting for the copy to stop when another replica takes the lease: let go at the next renewal")
    void takenOverWhileTheCopyStops() {
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        ForwardingEngine engine = new ForwardingEngine(h.engine) {
            @Override
            public CompletionStage<Void> stopCopy(BackupRecord backup) {
                return stopping; // the agent takes its time
            }
        };
        DefaultBackupService service = h.baseBuilder("replica-o", h.scheduler).engine(engine).leaseDuration(LEASE)
                .build();
        String id = cancelled(service);
        assertThat(service.inFlight()).as("the obligations wait for the stop").isOne();
        BackupRecord owed = h.stored(id);
        h.store.compareAndSet(owed.toBuilder().lease(new Lease("replica-x", owed.lease().expiresAt())).build(),
                owed.version());

        h.advance(LEASE.dividedBy(3));

        assertThat(service.inFlight()).isZero();
        stopping.complete(null);
        h.settle();
        BackupRecord after = h.stored(id);
        assertThat(after.lease().owner()).isEqualTo("replica-x");
        assertThat(after.lock()).as("not cleared by the replica that let go").isNotNull();
        assertThat(told(id)).isZero();
    }
}
