package dev.rdsbackup.coretests;

import static dev.rdsbackup.coretests.Harness.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.coretests.faults.FaultInjectingStore;
import dev.rdsbackup.coretests.faults.FaultInjectingStore.Op;
import dev.rdsbackup.testkit.RecordingListener.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A create whose insert outcome is unknown is answered {@code SERVICE_UNAVAILABLE} and withdrawn in the
 * background; a retry with its client token adopts the record instead (issue 15). These are the
 * interleavings of the withdrawal, the adoption, the creator's build of the adopted record and the
 * client's other calls, each of which must end with the backup answered as created built, or ended by a
 * caller, and never removed.
 */
@DisplayName("A create in doubt adopted by a retry with its client token")
class AdoptedCreateTest {
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final Harness h = new Harness();

    private DefaultBackupService replica(String id, FaultInjectingStore store, Duration lease) {
        return h.baseBuilder(id, h.scheduler).store(store).leaseDuration(lease)
                .random(new SplittableRandom(id.hashCode())).build();
    }

    private String inDoubtCreate(DefaultBackupService creator, FaultInjectingStore store) {
        store.commitThenThrow(Op.CREATE, 1).thenFail(Op.FIND, 3);
        assertThatThrownBy(() -> creator.create(Harness.request("Nightly").clientToken("tok-1").build()))
                .isInstanceOfSatisfying(BackupException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(h.store.all()).hasSize(1);
        return h.store.all().get(0).id();
    }

    private BackupHandle retry(DefaultBackupService replica) {
        return replica.create(Harness.request("Nightly").clientToken("tok-1").build());
    }

    @Test
    @DisplayName("between the withdrawal's read and its delete is built by the creator")
    void adoptedBetweenReadAndDelete() {
        DefaultBackupService[] other = new DefaultBackupService[1];
        BackupHandle[] retried = new BackupHandle[1];
        FaultInjectingStore store = new FaultInjectingStore(h.store) {
            private boolean raced;

            @Override
            public boolean delete(String backupId, long expectedVersion) {
                if (!raced) {
                    raced = true;
                    retried[0] = retry(other[0]);
                }
                return super.delete(backupId, expectedVersion);
            }
        };
        DefaultBackupService creator = replica("replica-f", store, LEASE);
        other[0] = replica("replica-o", new FaultInjectingStore(h.store), LEASE);
        String id = inDoubtCreate(creator, store);

        h.advance(Duration.ofSeconds(1));

        assertThat(retried[0].backupId()).isEqualTo(id);
        assertThat(retried[0].backup().version()).isOne();
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.events.kinds(id)).containsExactly(Kind.CREATED, Kind.COPY_STARTED, Kind.COMPLETED);
        assertThat(retried[0].completion().toCompletableFuture()).isCompleted();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("and cancelled before its creator builds it stays cancelled: no run, no onCreated after the ending")
    void cancelledBeforeTheCreatorBuildsIt() {
        DefaultBackupService[] creator = new DefaultBackupService[1];
        boolean[] armed = {false};
        FaultInjectingStore store = new FaultInjectingStore(h.store) {
            @Override
            public Optional<BackupRecord> find(String backupId) {
                Optional<BackupRecord> found = super.find(backupId);
                if (armed[0] && found.isPresent() && found.get().version() == 1) {
                    armed[0] = false; // the client, answered "created", cancels it on the creator
                    creator[0].cancel(PROJECT, backupId);
                }
                return found;
            }
        };
        creator[0] = replica("replica-f", store, LEASE);
        DefaultBackupService other = replica("replica-o", new FaultInjectingStore(h.store), LEASE);
        String id = inDoubtCreate(creator[0], store);
        assertThat(retry(other).backupId()).isEqualTo(id);
        armed[0] = true;

        h.advance(Duration.ofSeconds(1));
        h.advance(Duration.ofMinutes(10));

        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(h.events.kinds(id)).containsExactly(Kind.CANCELLED);
        assertThat(h.probe.verificationCount()).as("no run started for a cancelled backup").isZero();
        assertThat(creator[0].inFlight()).isZero();
    }

    @Test
    @DisplayName("with the creator's reads failing past the insert's lease is still built: the adoption renewed it")
    void slowWithdrawal() {
        Duration lease = Duration.ofSeconds(10);
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService creator = replica("replica-f", store, lease);
        DefaultBackupService other = replica("replica-o", new FaultInjectingStore(h.store), lease);
        String id = inDoubtCreate(creator, store); // its lease expires at 10 s
        store.failBefore(Op.FIND, 3); // the withdrawal's reads at 1 s, 3 s and 7 s fail; the next, at 15 s, works
        h.advance(Duration.ofSeconds(9));
        BackupHandle retried = retry(other);
        assertThat(retried.backup().lease().owner()).as("the creator's lease, renewed").isEqualTo("replica-f");
        assertThat(retried.backup().lease().expiresAt()).isEqualTo(h.clock.instant().plus(lease));

        h.advance(Duration.ofSeconds(5));
        assertThat(other.recover().failed()).as("the renewed lease has not expired").isEmpty();
        h.advance(Duration.ofMinutes(5));

        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.events.kinds(id)).containsExactly(Kind.CREATED, Kind.COPY_STARTED, Kind.COMPLETED);
    }

    @Test
    @DisplayName("after its creator closed is not built there; the reconciler ends it when the lease expires")
    void creatorClosed() {
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService creator = replica("replica-f", store, LEASE);
        DefaultBackupService other = replica("replica-o", new FaultInjectingStore(h.store), LEASE);
        String id = inDoubtCreate(creator, store);
        retry(other);
        creator.close();
        assertThat(creator.closed().toCompletableFuture()).isCompleted();

        h.advance(Duration.ofMinutes(1));
        assertThat(h.probe.verificationCount()).as("nothing built on a closed replica").isZero();
        h.advance(LEASE);
        assertThat(other.recover().failed()).containsExactly(id);
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.FAILED);
        assertThat(h.stored(id).failure().code()).isEqualTo(ErrorCode.INTERRUPTED);
    }

    @Test
    @DisplayName("a retry served by the replica building the backup writes nothing: the run is not disturbed")
    void replayOnTheBuilder() {
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService service = h.baseBuilder("replica-f", h.scheduler).store(store).leaseDuration(LEASE)
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).jitter(0).build()).build();
        BackupHandle first = service.create(Harness.request("Nightly").clientToken("tok-1").build());
        int writes = store.calls(Op.CAS);

        BackupHandle replayed = service.create(Harness.request("Nightly").clientToken("tok-1").build());

        assertThat(store.calls(Op.CAS)).isEqualTo(writes);
        assertThat(replayed.backup()).isEqualTo(first.backup());
        store.failBefore(Op.FIND, 1);
        h.settle();
        h.advance(Duration.ofMinutes(5));
        assertThat(h.stored(first.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("a retry on another replica whose adoption writes keep failing is answered 503, not a stale record")
    void adoptionKeepsFailing() {
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService creator = replica("replica-f", store, LEASE);
        FaultInjectingStore otherStore = new FaultInjectingStore(h.store);
        DefaultBackupService other = replica("replica-o", otherStore, LEASE);
        String id = inDoubtCreate(creator, store);
        otherStore.failBefore(Op.CAS, 3);

        assertThatThrownBy(() -> retry(other)).isInstanceOfSatisfying(BackupException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(otherStore.calls(Op.CAS)).as("three adoption writes").isEqualTo(3);

        h.advance(Duration.ofSeconds(1));
        assertThat(h.store.find(id)).as("not adopted, so withdrawn").isEmpty();
        BackupHandle later = retry(other);
        assertThat(later.backupId()).isNotEqualTo(id);
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(later.backupId()).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("and cancelled on the creator while it claims the record is told created, then cancelled")
    void cancelledDuringTheClaim() {
        DefaultBackupService[] creator = new DefaultBackupService[1];
        FaultInjectingStore store = new FaultInjectingStore(h.store) {
            private boolean raced;

            @Override
            public Optional<BackupRecord> compareAndSet(BackupRecord next, long expectedVersion) {
                Optional<BackupRecord> stored = super.compareAndSet(next, expectedVersion);
                if (!raced && expectedVersion == 1 && next.status() == BackupStatus.BUILDING) {
                    raced = true; // the claim landed; the client cancels on the creator before it is built
                    creator[0].cancel(PROJECT, next.id());
                }
                return stored;
            }
        };
        creator[0] = replica("replica-f", store, LEASE);
        DefaultBackupService other = replica("replica-o", new FaultInjectingStore(h.store), LEASE);
        String id = inDoubtCreate(creator[0], store);
        retry(other);

        h.advance(Duration.ofSeconds(1));
        h.advance(Duration.ofMinutes(10));

        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.CANCELLED);
        assertThat(h.events.kinds(id)).containsExactly(Kind.CREATED, Kind.CANCELLED);
        assertThat(creator[0].inFlight()).isZero();
        assertThat(h.engine.isRunning(id)).isFalse();
        h.probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("by a replica whose clock runs behind never shortens the creator's lease")
    void adopterClockBehind() {
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService creator = replica("replica-f", store, LEASE);
        DefaultBackupService behind = h.baseBuilder("replica-b", h.scheduler).store(new FaultInjectingStore(h.store))
                .leaseDuration(LEASE).random(new SplittableRandom(3))
                .clock(java.time.Clock.offset(h.clock, Duration.ofSeconds(-30))).build();
        String id = inDoubtCreate(creator, store);
        java.time.Instant before = h.stored(id).lease().expiresAt();

        BackupHandle retried = retry(behind);

        assertThat(retried.backup().version()).isOne();
        assertThat(retried.backup().lease().expiresAt()).isEqualTo(before);
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
    }

    @Test
    @DisplayName("whose instance cannot be described for a while is described again later, then built")
    void describeFailsForAWhile() {
        FaultInjectingStore store = new FaultInjectingStore(h.store);
        DefaultBackupService creator = replica("replica-f", store, LEASE);
        DefaultBackupService other = replica("replica-o", new FaultInjectingStore(h.store), LEASE);
        String id = inDoubtCreate(creator, store);
        retry(other);
        h.probe.instance(PROJECT, Harness.INSTANCE).describeThrows(new IllegalStateException("inventory down"));
        h.advance(Duration.ofSeconds(1));
        assertThat(h.probe.verificationCount()).isZero();
        h.probe.instance(PROJECT, Harness.INSTANCE).describeThrows(null);
        h.advance(Duration.ofMinutes(10));
        assertThat(h.stored(id).status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(h.events.kinds(id)).containsExactly(Kind.CREATED, Kind.COPY_STARTED, Kind.COMPLETED);
    }
}
