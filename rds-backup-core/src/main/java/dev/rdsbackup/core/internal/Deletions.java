package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.DeleteOutcome;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.BackupValidationException;
import dev.rdsbackup.api.error.ErrorCode;
import dev.rdsbackup.api.error.Violation;
import dev.rdsbackup.core.internal.RecordWriter.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting backups: on request (one or a batch), for a deleted instance, and resuming a deletion left by another replica. */
final class Deletions {
    private static final Logger LOG = LoggerFactory.getLogger(Deletions.class);
    private static final int MAX_BATCH_DELETE = 50;

    private final Context c;
    private final Endings endings;
    private final Runnable onNewWork;

    Deletions(Context context, Endings endings, Runnable onNewWork) {
        this.c = context;
        this.endings = endings;
        this.onNewWork = onNewWork;
    }

    BackupRecord delete(String projectId, String backupId) {
        Ids.require("projectId", projectId, "backupId", backupId);
        return start(StoreCalls.find(c, projectId, backupId), true);
    }

    List<DeleteOutcome> deleteAll(String projectId, List<String> backupIds) {
        List<Violation> violations = new ArrayList<>();
        Ids.check(violations, "projectId", projectId);
        if (backupIds == null) {
            violations.add(new Violation("backupIds", "NotNull", "must not be null"));
        } else {
            if (backupIds.isEmpty() || backupIds.size() > MAX_BATCH_DELETE) {
                violations.add(new Violation("backupIds", "Size", "must name 1 to " + MAX_BATCH_DELETE + " backups"));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < backupIds.size(); i++) {
                String id = backupIds.get(i);
                Ids.check(violations, "backupIds[" + i + "]", id);
                if (id != null && !seen.add(id)) {
                    violations.add(new Violation("backupIds[" + i + "]", "DistinctElements",
                            "must not repeat an earlier id"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new BackupValidationException(violations);
        }
        List<DeleteOutcome> outcomes = new ArrayList<>(backupIds.size());
        for (String id : backupIds) {
            try {
                outcomes.add(DeleteOutcome.accepted(delete(projectId, id)));
            } catch (BackupException e) {
                outcomes.add(DeleteOutcome.refused(id, e));
            }
        }
        return outcomes;
    }

    /**
     * Marks a backup {@code DELETING} under this replica's lease and starts deleting its data.
     *
     * @param backup the record as read
     * @param onRequest a caller asked (manual backups only, not while in use) rather than an instance deletion
     */
    BackupRecord start(BackupRecord backup, boolean onRequest) {
        BackupRecord current = backup;
        for (int round = 0; round < Context.MAX_CAS_ROUNDS; round++) {
            if (onRequest && current.type() != BackupType.MANUAL) {
                throw new BackupException(ErrorCode.BACKUP_TYPE_NOT_DELETABLE, "Backup " + current.id()
                        + " is an automated backup; only manual backups can be deleted. Automated backups "
                        + "follow the instance's backup policy.");
            }
            endings.notifyRun(current);
            if (current.status() == BackupStatus.DELETING) {
                return current;
            }
            if (!current.status().isDeletable()) {
                throw new BackupException(ErrorCode.BACKUP_STATUS_CONFLICT, "Backup " + current.id()
                        + " is still BUILDING; cancel it first, then delete it.");
            }
            if (current.lease() != null) {
                // It has ended, but its lock or copy is still being seen to: deleting now would take the
                // lease that keeps that work owed. Work on the record is under way: retryable, like any
                // concurrent modification.
                throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION, "Backup " + current.id() + " is "
                        + current.status() + " but its backup lock or copy is still being released; try again"
                        + " shortly.");
            }
            if (onRequest) {
                checkNotInUse(current);
            }
            if (!endings.settleRun(current)) {
                throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION, "Backup " + current.id() + " has"
                        + " just ended and its ending is still being handled; try again shortly.");
            }
            BackupRecord next = current.toBuilder()
                    .status(BackupStatus.DELETING)
                    .failure(null)
                    .lease(c.newLease())
                    .build();
            Outcome outcome = c.writer.write(next, current.version());
            if (outcome instanceof Outcome.Written w) {
                BackupRecord deleting = w.record();
                LOG.info("Backup {} deleting", deleting.id());
                c.events.deleting(deleting);
                run(deleting);
                return deleting;
            }
            if (outcome instanceof Outcome.Failed f) {
                throw StoreCalls.unavailable(f.cause());
            }
            if (outcome instanceof Outcome.Unknown u) {
                throw StoreCalls.unavailable(u.cause()); // if it landed, the reconciler resumes it at lease expiry
            }
            Optional<BackupRecord> fresh = ((Outcome.Conflict) outcome).current();
            if (fresh.isEmpty() || !fresh.get().projectId().equals(backup.projectId())) {
                throw new BackupException(ErrorCode.BACKUP_NOT_FOUND,
                        "Backup " + backup.id() + " was not found in project " + backup.projectId() + ".");
            }
            current = fresh.get();
        }
        throw new BackupException(ErrorCode.CONCURRENT_MODIFICATION,
                "Backup " + backup.id() + " kept changing while being deleted; try again.");
    }

    private void checkNotInUse(BackupRecord asked) {
        Optional<String> user;
        try {
            user = c.s.engine().inUseBy(asked);
        } catch (RuntimeException e) {
            LOG.warn("Asking whether backup {} is in use failed: {}", asked.id(), LogSafe.describe(e));
            throw new BackupException(ErrorCode.SERVICE_UNAVAILABLE, "Could not check whether backup "
                    + asked.id() + " is in use; try again later.", e);
        }
        if (user != null && user.isPresent()) {
            throw new BackupException(ErrorCode.BACKUP_IN_USE, "Backup " + asked.id() + " is in use by "
                    + LogSafe.escape(user.get()) + "; try again when that has finished.");
        }
    }

    /** Runs the deletion of a record this replica holds the lease of. */
    void run(BackupRecord deleting) {
        DeletionRun deletion = new DeletionRun(c, deleting);
        deletion.start();
        onNewWork.run();
    }
}
