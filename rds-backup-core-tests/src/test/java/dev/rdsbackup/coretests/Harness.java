package dev.rdsbackup.coretests;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.core.DefaultBackupService;
import dev.rdsbackup.core.RetryPolicy;
import dev.rdsbackup.testkit.FakeBackupEngine;
import dev.rdsbackup.testkit.InMemoryBackupStore;
import dev.rdsbackup.testkit.ManualScheduler;
import dev.rdsbackup.testkit.RecordingListener;
import dev.rdsbackup.testkit.ScriptedInstanceProbe;
import dev.rdsbackup.testkit.SettableClock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * One service wired to the testkit's fakes in virtual time, with jitter off so delays are exact. The
 * default retry policy (two attempts in all) is kept unless a test changes it.
 */
final class Harness {
    static final String PROJECT = "proj-1";
    static final String INSTANCE = "inst-1";
    static final Duration RETRY_DELAY = Duration.ofSeconds(30);

    final SettableClock clock = new SettableClock();
    final ManualScheduler scheduler = ManualScheduler.strict(clock);
    final InMemoryBackupStore store = new InMemoryBackupStore();
    final ScriptedInstanceProbe probe = new ScriptedInstanceProbe();
    final FakeBackupEngine engine = new FakeBackupEngine();
    final RecordingListener events = new RecordingListener();
    final DefaultBackupService service;

    Harness() {
        this(b -> b);
    }

    Harness(UnaryOperator<DefaultBackupService.Builder> customize) {
        probe.addInstance(PROJECT, INSTANCE);
        service = customize.apply(baseBuilder("replica-a", scheduler)).build();
    }

    /** A builder over the shared fakes, with its own scheduler and replica id. */
    DefaultBackupService.Builder baseBuilder(String replicaId, ManualScheduler ownScheduler) {
        return DefaultBackupService.builder()
                .store(store).probe(probe).engine(engine).clock(clock).scheduler(ownScheduler)
                .listener(events)
                .retryPolicy(RetryPolicy.builder().jitter(0).delay(RETRY_DELAY).build())
                .random(new SplittableRandom(42))
                // These tests call recover() themselves to see its report; the service's own reconciler
                // timer is tested in ReconcilerTimerTest.
                .recoveryInterval(Duration.ofDays(1))
                .replicaId(replicaId);
    }

    static BackupRequest.Builder request(String name) {
        return BackupRequest.builder().projectId(PROJECT).instanceId(INSTANCE).name(name);
    }

    BackupHandle create(String name) {
        return service.create(request(name).build());
    }

    /**
     * Creates a backup named "Nightly" through {@code service} and runs it until its copy is running (held
     * by the engine), as the start of a test about what happens while it copies.
     *
     * @return the backup's handle
     */
    BackupHandle copying(DefaultBackupService service) {
        engine.holdCopies();
        BackupHandle handle = service.create(request("Nightly").build());
        settle();
        org.assertj.core.api.Assertions.assertThat(engine.isRunning(handle.backupId()))
                .as("the copy of the new backup is running").isTrue();
        return handle;
    }

    BackupRecord stored(String backupId) {
        return store.find(backupId).orElseThrow();
    }

    /** Runs what is due now. */
    void settle() {
        scheduler.runPending();
    }

    void advance(Duration amount) {
        scheduler.advance(amount);
    }
}
