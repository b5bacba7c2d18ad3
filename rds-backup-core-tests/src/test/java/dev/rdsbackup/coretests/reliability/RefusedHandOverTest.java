package dev.rdsbackup.coretests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Findings 6b, 7 and 8 of the lifecycle state machine, replayed step by step on a replica whose scheduler is
 * built with {@code TaskScheduler.of} and refuses work as the state machine's does ({@link ReplicaScheduler}):
 * no work is lost to any sequence of refusals while the lease tick runs, and recovery reports as failed only
 * what it failed.
 */
@DisplayName("Work the scheduler refused to take")
class RefusedHandOverTest {
    private static final String PROJECT = "proj-a";
    private static final String INSTANCE = "inst-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final SettableClock clock = new SettableClock();
    private final ManualScheduler manual = ManualScheduler.strict(clock);
    private final InMemoryBackupStore store = new InMemoryBackupStore();
    private final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    private final FakeBackupEngine engine = new FakeBackupEngine();

    private DefaultBackupService replica(ReplicaScheduler sched) {
        probe.addInstance(PROJECT, INSTANCE);
        return DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine).clock(clock).scheduler(sched.tasks)
                .replicaId("replica-a")
                .leaseDuration(LEASE)
                .retryPolicy(RetryPolicy.builder().jitter(0).delay(Duration.ofSeconds(1)).build())
                .build();
    }

    private static BackupRequest request() {
        return BackupRequest.builder().projectId(PROJECT).instanceId(INSTANCE).name("Nightly").build();
    }

    @Test
    @DisplayName("a verification retry refused when due, and then refused again at submission, still runs (8)")
    void retryRefusedTwice() {
        ReplicaScheduler sched = new ReplicaScheduler(manual, true);
        DefaultBackupService service = replica(sched);
        probe.instance(PROJECT, INSTANCE).ddlRunningFor(1);
        engine.completeCopiesAtOnce();
        BackupHandle handle = service.create(request());
        manual.runPending();
        assertThat(store.find(handle.backupId()).orElseThrow().status()).isEqualTo(BackupStatus.BUILDING);

        // The retry falls due at 1 s: the executor refuses it, and the timer refuses to take it back.
        sched.refuseWhenDue(1);
        sched.refuseSubmissions(1);
        manual.advance(Duration.ofSeconds(2));
        assertThat(sched.refusals()).as("both refusals happened").isEqualTo(2);

        manual.advance(LEASE.multipliedBy(2));
        assertThat(store.find(handle.backupId()).orElseThrow().status())
                .as("the lost retry was run again by the lease tick").isEqualTo(BackupStatus.COMPLETED);
        probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a late lock whose hand-over to the scheduler is refused is still released (7)")
    void lateLockRefused() {
        ReplicaScheduler sched = new ReplicaScheduler(manual, true);
        DefaultBackupService service = replica(sched);
        probe.instance(PROJECT, INSTANCE).hangFor(1);
        BackupHandle handle = service.create(request());
        manual.advance(Duration.ofSeconds(1));
        service.cancel(PROJECT, handle.backupId());
        manual.runPending();
        assertThat(store.find(handle.backupId()).orElseThrow().status()).isEqualTo(BackupStatus.CANCELLED);

        sched.refuseSubmissions(1);
        assertThat(probe.completeHungVerifications()).isEqualTo(1);
        assertThat(sched.refusals()).as("the answer's hand-over was refused").isEqualTo(1);
        assertThat(probe.heldLocks()).as("the lock is not left waiting on a refused queue").isEmpty();

        manual.advance(LEASE.multipliedBy(2));
        assertThat(probe.heldLocks()).as("the late lock was released").isEmpty();
        probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("a lock answered in time whose hand-over is refused is given back and the attempt retried")
    void timelyLockRefused() {
        ReplicaScheduler sched = new ReplicaScheduler(manual, true);
        DefaultBackupService service = replica(sched);
        probe.instance(PROJECT, INSTANCE).hangFor(1);
        engine.completeCopiesAtOnce();
        BackupHandle handle = service.create(request());
        manual.runPending();

        sched.refuseSubmissions(1);
        assertThat(probe.completeHungVerifications()).isEqualTo(1);
        assertThat(sched.refusals()).isEqualTo(1);
        assertThat(probe.heldLocks()).as("the refused answer's lock was released").isEmpty();

        manual.advance(LEASE.multipliedBy(2));
        assertThat(store.find(handle.backupId()).orElseThrow().status()).isEqualTo(BackupStatus.COMPLETED);
        assertThat(probe.locksObtained()).as("a second attempt took a new lock").isEqualTo(2);
        probe.assertEveryLockReleasedExactlyOnce();
    }

    @Test
    @DisplayName("recover() does not report as failed a backup that its own run completes meanwhile (6b)")
    void recoveryReportsWhatItFailed() {
        ReplicaScheduler sched = new ReplicaScheduler(manual, false);
        DefaultBackupService service = replica(sched);
        engine.holdCopies();
        sched.refuseSubmissions(2);
        BackupHandle handle = service.create(request());
        manual.advance(LEASE.plusSeconds(1));
        engine.complete(handle.backupId());

        RecoveryReport report = service.recover();
        BackupStatus status = store.find(handle.backupId()).orElseThrow().status();
        assertThat(report.failed().contains(handle.backupId()))
                .as("recovery reported b1 as failed; the store has it %s", status)
                .isEqualTo(status == BackupStatus.FAILED);
    }
}
