package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.error.BackupException;
import dev.rdsbackup.api.error.ErrorCode;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Store calls made for a caller: a store failure becomes a retryable {@code SERVICE_UNAVAILABLE}. */
final class StoreCalls {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);

    private StoreCalls() {
    }

    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (BackupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("The backup store failed: {}", LogSafe.describe(e));
            throw unavailable(e);
        }
    }

    static BackupException unavailable(RuntimeException cause) {
        return new BackupException(ErrorCode.SERVICE_UNAVAILABLE,
                "The backup store is unavailable right now; try again later.", cause);
    }

    /** The backup of a project, or {@code BACKUP_NOT_FOUND}. */
    static BackupRecord find(Context c, String projectId, String backupId) {
        Optional<BackupRecord> found = call(() -> c.writer.find(backupId));
        if (found.isEmpty() || !found.get().projectId().equals(projectId)) {
            throw new BackupException(ErrorCode.BACKUP_NOT_FOUND,
                    "Backup " + backupId + " was not found in project " + projectId + ".");
        }
        return found.get();
    }
}
