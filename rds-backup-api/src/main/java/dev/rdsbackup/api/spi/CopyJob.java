package dev.rdsbackup.api.spi;

import java.util.concurrent.CompletionStage;

/** A copy started by {@link BackupEngine#startCopy}. */
public interface CopyJob {
    /**
     * Completes with the stored size in bytes when the copy succeeds; completes exceptionally when it
     * fails or is cancelled.
     *
     * @return the outcome
     */
    CompletionStage<Long> result();

    /**
     * Asks the engine to stop the copy and discard what it wrote. Must be safe to call more than once and
     * after the copy ended. The result stage may then complete either way; the service has already
     * recorded the backup as {@code CANCELLED}.
     */
    void cancel();
}
