package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.InstanceDeletionReport;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an instance's backups when the instance is deleted: building ones are cancelled,
 * automated ones deleted, manual ones kept. The listing is read again until a full pass finds nothing new
 * and no count changed, so a listing that shrinks meanwhile skips nothing; only records whose project and
 * instance match exactly are touched, whatever the store's filter returns.
 */
final class InstanceCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceCleanup.class);
    private static final int MAX_PASSES = 64;

    private final Context c;
    private final Endings endings;
    private final Deletions deletions;

    InstanceCleanup(Context context, Endings endings, Deletions deletions) {
        this.c = context;
        this.endings = endings;
        this.deletions = deletions;
    }

    InstanceDeletionReport instanceDeleted(String projectId, String instanceId) {
        Ids.require("projectId", projectId, "instanceId", instanceId);
        Set<String> seen = new HashSet<>();
        List<String> cancelled = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        BackupFailure reason = new BackupFailure(ErrorCode.INSTANCE_DELETED,
                "The DB instance was deleted while the backup was running.");
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<BackupRecord> fresh = new ArrayList<>();
            boolean stable = listPass(projectId, instanceId, seen, fresh);
            for (BackupRecord backup : fresh) {
                handle(backup, reason, cancelled, deleting, retained);
            }
            if (fresh.isEmpty() && stable) {
                break;
            }
        }
        LOG.info("Instance {} of project {} deleted: {} backups cancelled, {} automated deleting, {} manual kept",
                instanceId, projectId, cancelled.size(), deleting.size(), retained.size());
        return new InstanceDeletionReport(projectId, instanceId, cancelled, deleting, retained);
    }

    /**
     * Reads the whole listing once, adding the records not seen before to {@code fresh}.
     *
     * @return whether the listing kept its size through the pass
     */
    private boolean listPass(String projectId, String instanceId, Set<String> seen, List<BackupRecord> fresh) {
        BackupQuery page = BackupQuery.forInstance(projectId, instanceId).limit(BackupQuery.MAX_LIMIT).build();
        long total = -1;
        boolean stable = true;
        while (true) {
            BackupQuery query = page;
            BackupPage found = StoreCalls.call(() -> c.s.store().query(query));
            if (total >= 0 && found.totalCount() != total) {
                stable = false;
            }
            total = found.totalCount();
            for (BackupRecord r : found.items()) {
                if (!r.projectId().equals(projectId) || !r.instanceId().equals(instanceId)) {
                    LOG.warn("The store listed backup {} of another instance for instance {}; ignored", r.id(),
                            instanceId);
                } else if (seen.add(r.id())) {
                    fresh.add(r);
                }
            }
            if (found.items().isEmpty() || !found.hasMore()) {
                return stable;
            }
            page = page.toBuilder().offset(page.offset() + found.items().size()).build();
        }
    }

    private void handle(BackupRecord backup, BackupFailure reason, List<String> cancelled, List<String> deleting,
            List<String> retained) {
        try {
            BackupRecord current = backup;
            if (current.status() == BackupStatus.BUILDING) {
                try {
                    current = endings.cancel(current, reason);
                    cancelled.add(current.id());
                } catch (BackupException e) {
                    if (e.code() != ErrorCode.BACKUP_STATUS_CONFLICT) {
                        throw e;
                    }
                    current = StoreCalls.find(c, backup.projectId(), current.id());
                }
            }
            if (current.type() == BackupType.MANUAL) {
                retained.add(current.id());
            } else {
                deletions.start(current, false);
                deleting.add(current.id());
            }
        } catch (BackupException e) {
            if (e.code() != ErrorCode.BACKUP_NOT_FOUND) {
                throw e;
            }
            LOG.debug("Backup {} disappeared while its instance was being deleted", backup.id());
        }
    }
}
