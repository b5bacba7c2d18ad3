package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.RecoveryReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered reconciliation: reads the records whose lease expired (their replica died, lost its
 * writes, or handed them over) and finishes what they owe, whatever left them so. A build is failed as
 * interrupted (its copy stopped and its lock released), a deletion is resumed, an ended backup's lock is
 * released and its copy stopped. Work a live lease protects is never touched. Run by the service every
 * recovery interval and by {@code recover()}.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int BATCH = 100;

    private final Context c;
    private final Endings endings;
    private final Obligations obligations;
    private final Deletions deletions;

    Reconciler(Context context, Endings endings, Obligations obligations, Deletions deletions) {
        this.c = context;
        this.endings = endings;
        this.obligations = obligations;
        this.deletions = deletions;
    }

    RecoveryReport reconcile() {
        // Contained: a store that breaks its contract here must not stop the pass over expired leases.
        Scheduling.contain("Reading back the endings in doubt", endings::resolveInDoubt);
        List<String> failed = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        Instant now = c.now();
        String after = null;
        while (true) {
            String from = after;
            List<BackupRecord> expired = StoreCalls.call(() -> c.s.store().findExpiredLeases(now, from, BATCH));
            for (BackupRecord backup : expired) {
                after = backup.id();
                if (backup.lease() == null || backup.lease().expiresAt().isAfter(now)) {
                    continue; // a store that answered more than asked: a live lease is never touched
                }
                try {
                    reconcile(backup, failed, resumed);
                } catch (BackupException e) {
                    LOG.warn("Backup {}: not reconciled this time: {}", backup.id(), e.getMessage());
                }
            }
            if (expired.size() < BATCH) {
                break;
            }
        }
        if (!failed.isEmpty() || !resumed.isEmpty()) {
            LOG.info("Recovery by replica {}: {} interrupted backups failed, {} deletions resumed", c.s.replicaId(),
                    failed.size(), resumed.size());
        }
        c.local.sweep();
        return new RecoveryReport(failed, resumed);
    }

    private void reconcile(BackupRecord backup, List<String> failed, List<String> resumed) {
        LocalWork.Work mine = c.local.get(backup.id());
        if (mine instanceof BuildRun run && backup.status() == BackupStatus.BUILDING) {
            // Our own lease lapsed: renewals did not get through, so other replicas would call this work
            // dead. Treat it the same way, unless the run is already writing its ending (then it tries now).
            // Reported as failed only if this very call failed it: an answer queued before may complete it.
            AtomicBoolean failedHere = new AtomicBoolean();
            c.events.after(backup.id(), () -> failedHere.set(run.leaseLapsed()));
            if (failedHere.get()) {
                failed.add(backup.id());
            }
            return;
        }
        if (mine != null) {
            return;
        }
        switch (backup.status()) {
            case BUILDING -> {
                String owner = backup.lease().owner();
                // The finder is named: two replicas that fail the same backup at the same instant write different
                // records, so one whose write was in doubt never takes the other's ending for its own and tells
                // it a second time.
                BackupFailure why = new BackupFailure(ErrorCode.INTERRUPTED, "The backup was interrupted: "
                        + "control-plane replica " + owner + " stopped before it finished (found by replica "
                        + c.s.replicaId() + "). Create a new backup.");
                if (endings.end(backup, BackupStatus.FAILED, why).isPresent()) {
                    LOG.warn("Backup {} failed: its replica {} stopped before it finished", backup.id(), owner);
                    failed.add(backup.id());
                }
            }
            case DELETING -> {
                Outcome taken = c.writer.write(backup.toBuilder().lease(c.newLease()).build(), backup.version());
                if (taken instanceof Outcome.Written w) {
                    LOG.info("Backup {}: resuming the deletion that replica {} left", backup.id(),
                            backup.lease().owner());
                    deletions.run(w.record());
                    resumed.add(backup.id());
                }
            }
            default -> {
                Outcome taken = c.writer.write(backup.toBuilder().lease(c.newLease()).build(), backup.version());
                if (taken instanceof Outcome.Written w) {
                    LOG.info("Backup {}: finishing what replica {} left owed (lock, copy)", backup.id(),
                            backup.lease().owner());
                    c.events.after(backup.id(), () -> obligations.fulfil(w.record(), (done, tell) -> {
                        if (tell) {
                            c.events.ended(done); // its writer left it owed, so it was never told
                        }
                    }));
                }
            }
        }
    }
}
