package dev.rdsbackup.core.internal;

import dev.rdsbackup.api.BackupProgress;
import java.time.Duration;
import java.time.Instant;

/**
 * Estimates how long a copy takes: the data at the configured speed, plus a cost per table (the table
 * count slows a backup down). Once the engine reports progress, the observed rate takes over.
 */
public final class Estimator {
    /** Estimates never exceed about 100 years. */
    private static final double CAP_MILLIS = 100.0 * 365 * 24 * 3600 * 1000;

    private final long bytesPerSecond;
    private final Duration perTableCost;

    /**
     * Creates an estimator.
     *
     * @param bytesPerSecond assumed copy speed, positive
     * @param perTableCost assumed extra time per table, zero or more
     */
    public Estimator(long bytesPerSecond, Duration perTableCost) {
        this.bytesPerSecond = bytesPerSecond;
        this.perTableCost = perTableCost;
    }

    /**
     * The expected duration of a whole copy.
     *
     * @param dataSizeBytes data to copy
     * @param tableCount tables to copy
     * @return the estimate
     */
    public Duration estimate(long dataSizeBytes, long tableCount) {
        double millis = (double) dataSizeBytes * 1000.0 / bytesPerSecond
                + (double) perTableCost.toMillis() * tableCount;
        return Duration.ofMillis((long) Math.min(millis, CAP_MILLIS));
    }

    /**
     * The progress before any byte is copied.
     *
     * @param now the current time
     * @param dataSizeBytes data to copy
     * @param tableCount tables to copy
     * @return 0 % with the estimated completion time
     */
    public BackupProgress initial(Instant now, long dataSizeBytes, long tableCount) {
        return new BackupProgress(0, 0, dataSizeBytes, now.plus(estimate(dataSizeBytes, tableCount)));
    }

    /**
     * The progress after the engine reported some.
     *
     * @param copyStart when the copy started
     * @param now the current time
     * @param bytesCopied bytes copied
     * @param totalBytes bytes in all (0 when unknown: the instance's data size is used)
     * @param fallbackTotal the instance's data size
     * @param tableCount tables to copy
     * @return the progress with an updated estimate
     */
    public BackupProgress update(Instant copyStart, Instant now, long bytesCopied, long totalBytes,
            long fallbackTotal, long tableCount) {
        long total = Math.max(totalBytes > 0 ? totalBytes : fallbackTotal, bytesCopied);
        int percent = total == 0 ? 0 : (int) Math.min(100, bytesCopied * 100 / total);
        Instant eta;
        long elapsed = Duration.between(copyStart, now).toMillis();
        if (bytesCopied > 0 && elapsed > 0 && total > 0) {
            double remainingFraction = (double) (total - bytesCopied) / bytesCopied;
            eta = now.plusMillis((long) Math.min(CAP_MILLIS, elapsed * remainingFraction));
        } else {
            eta = copyStart.plus(estimate(total, tableCount));
            if (eta.isBefore(now)) {
                eta = now;
            }
        }
        return new BackupProgress(percent, bytesCopied, total, eta);
    }
}
