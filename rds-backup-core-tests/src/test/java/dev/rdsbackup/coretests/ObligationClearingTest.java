package dev.rdsbackup.coretests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
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
            return delegate().compareAndSet(next, expectedVersion);
        }
    }

    private final Harness h = new Harness(b -> b.leaseDuration(LEASE));
    private final FailingClearStore store = new FailingClearStore(h.store);
    private final DefaultBackupService service = h.baseBuilder("replica-c", h.scheduler).store(store)
            .leaseDuration(LEASE).build();

    private String copying() {
        h.engine.holdCopies();
        BackupHandle handle = service.create(Harness.request("Nightly").build());
        h.settle();
        assertThat(h.engine.isRunning(handle.backupId())).isTrue();
        return handle.backupId();
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
}
