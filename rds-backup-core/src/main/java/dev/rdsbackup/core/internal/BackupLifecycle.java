package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupHandle;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupRequest;
import dev.rdsbackup.api.BackupService;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.core.TaskScheduler.ScheduledTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup lifecycle behind {@link dev.rdsbackup.core.DefaultBackupService}: wires the parts and runs the
 * service's own timers (the reconciler every recovery interval) and its shutdown.
 *
 * <p>Where to read what: {@link Admission} (a create), {@link BuildRun} (one build's state machine),
 * {@link Endings} (a cancel, a failure written from outside the run), {@link Obligations} (the end of a
 * backup lock's life: stop the copy, release the lock, clear it), {@link Deletions} and {@link DeletionRun},
 * {@link InstanceCleanup}, {@link Reconciler}, {@link Leases}, {@link RecordWriter} (every write, and the
 * resolution of an unknown outcome), {@link SerialQueue} (each backup's events, one at a time, in order).
 */
public final class BackupLifecycle implements BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupLifecycle.class);

    private final Context c;
    private final Admission admission;
    private final Endings endings;
    private final Deletions deletions;
    private final InstanceCleanup cleanup;
    private final Reconciler reconciler;
    private final Leases leases;
    private final Completions completions;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile ScheduledTask recoveryTimer;
    private volatile Instant recoveryDue;

    /**
     * Creates the lifecycle and starts its reconciler timer.
     *
     * @param settings checked settings
     */
    public BackupLifecycle(Settings settings) {
        this.c = new Context(settings);
        Obligations obligations = new Obligations(c);
        this.completions = new Completions(c);
        this.leases = new Leases(c);
        this.endings = new Endings(c, obligations);
        this.admission = new Admission(c, obligations, completions, leases::ensureTicking);
        this.deletions = new Deletions(c, endings, leases::ensureTicking);
        this.cleanup = new InstanceCleanup(c, endings, deletions);
        this.reconciler = new Reconciler(c, endings, obligations, deletions);
        c.local.onStalled(leases::ensureTicking);
        scheduleRecovery();
    }

    /** This replica's id. */
    public String replicaId() {
        return c.s.replicaId();
    }

    /** How many backups this replica holds a lease for now (building, deleting, or finishing an ending). */
    public int inFlight() {
        return c.local.size();
    }

    private void scheduleRecovery() {
        if (c.closing.get()) {
            return;
        }
        recoveryDue = c.s.clock().instant().plus(c.s.recoveryInterval());
        recoveryTimer = c.scheduling.schedule("the reconciler", () -> {
            try {
                reconciler.reconcile();
            } catch (BackupException e) {
                LOG.warn("The reconciler did not finish this time: {}", e.getMessage());
            }
            c.local.kickQueued();
            c.scheduling.rescueOverdue();
            leases.ensureTicking();
            completions.kickWatchers();
            scheduleRecovery();
        }, c.s.recoveryInterval());
    }

    /** Restarts a timer the scheduler refused, or that never ran (refused when it fell due). */
    private void ensureTimers() {
        leases.ensureTicking();
        completions.kickWatchers();
        Instant due = recoveryDue;
        boolean lost = due != null && c.s.clock().instant().isAfter(due.plus(c.s.recoveryInterval()));
        if (recoveryTimer == null || lost) {
            Scheduling.cancel(recoveryTimer);
            scheduleRecovery();
        }
    }

    @Override
    public BackupHandle create(BackupRequest request) {
        if (c.closing.get()) {
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                    "This replica of the backup service is shutting down; try again on another.");
        }
        ensureTimers();
        return admission.create(request);
    }

    @Override
    public BackupRecord get(String projectId, String backupId) {
        Ids.require("projectId", projectId, "backupId", backupId);
        BackupRecord found = StoreCalls.find(c, projectId, backupId);
        endings.notifyRun(found);
        return found;
    }

    @Override
    public BackupPage list(BackupQuery query) {
        if (query == null) {
            throw new BackupValidationException(List.of(new Violation("query", "NotNull", "must not be null")));
        }
        c.s.validator().validate(query);
        return StoreCalls.call(() -> c.s.store().query(query));
    }

    @Override
    public BackupRecord cancel(String projectId, String backupId) {
        Ids.require("projectId", projectId, "backupId", backupId);
        return endings.cancel(StoreCalls.find(c, projectId, backupId), null);
    }

    @Override
    public BackupRecord delete(String projectId, String backupId) {
        ensureTimers();
        return deletions.delete(projectId, backupId);
    }

    @Override
    public List<DeleteOutcome> deleteAll(String projectId, List<String> backupIds) {
        ensureTimers();
        return deletions.deleteAll(projectId, backupIds);
    }

    @Override
    public InstanceDeletionReport instanceDeleted(String projectId, String instanceId) {
        ensureTimers();
        return cleanup.instanceDeleted(projectId, instanceId);
    }

    @Override
    public RecoveryReport recover() {
        ensureTimers();
        return reconciler.reconcile();
    }

    /**
     * Starts the shutdown: creates are refused at once; work in flight may finish within the grace period
     * (watched on the scheduler, in its time); then the timers stop and the leases of what remains are
     * expired in one store call, so any replica's reconciler takes it over at once. Idempotent.
     *
     * @return completes when the work was handed over
     */
    public CompletionStage<Void> close() {
        if (c.closing.compareAndSet(false, true)) {
            LOG.info("Replica {} closing: {} pieces of work in flight", c.s.replicaId(), c.local.size());
            Instant deadline = c.s.clock().instant().plus(c.s.shutdownGracePeriod());
            awaitWork(deadline);
        }
        return closed.minimalCompletionStage();
    }

    /**
     * The stage {@link #close()} completes once the work is handed over; does not start closing.
     *
     * @return the stage
     */
    public CompletionStage<Void> closed() {
        return closed.minimalCompletionStage();
    }

    private void awaitWork(Instant deadline) {
        Duration left = Duration.between(c.s.clock().instant(), deadline);
        if ((c.local.size() == 0 && !c.local.anyQueued()) || left.isNegative() || left.isZero()) {
            handOver();
            return;
        }
        Duration step = c.s.leaseDuration().dividedBy(6);
        Duration wait = step.compareTo(left) < 0 ? step : left;
        if (c.scheduling.schedule("the shutdown's wait", () -> awaitWork(deadline), wait) == null) {
            handOver();
        }
    }

    private void handOver() {
        if (closed.isDone()) {
            return;
        }
        Scheduling.cancel(recoveryTimer);
        // Answers still queued (a late lock to release, say) are handled now: the host may stop the
        // scheduler as soon as this completes, and a queued lock would then be leaked.
        c.local.drainAllHere();
        List<LocalWork.Work> remaining = c.local.all();
        List<String> ids = c.local.ids();
        for (LocalWork.Work work : remaining) {
            c.local.queue(work.id()).runHere(work::handOver);
        }
        leases.handOver(ids);
        closed.complete(null);
    }
}
