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
     * Asks the engine to stop the copy and discard what it wrote.
     *
     * @deprecated since 0.2.0 the service no longer calls this: it stops a copy through
     *     {@link BackupEngine#stopCopy}, which any replica can call by backup id. Implement that instead; the
     *     default does nothing.
     */
    @Deprecated(since = "0.2.0", forRemoval = true)
    default void cancel() {
    }
}
