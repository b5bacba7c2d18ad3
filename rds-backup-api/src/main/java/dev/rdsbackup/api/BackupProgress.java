package dev.rdsbackup.api;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a {@code BUILDING} backup has come.
 *
 * @param percent 0 to 100
 * @param bytesCopied bytes copied so far, 0 or more
 * @param totalBytes bytes expected in all (the instance's data size, or the engine's figure), 0 or more
 * @param estimatedCompletion when the backup is expected to finish, derived from data size and table count
 */
public record BackupProgress(int percent, long bytesCopied, long totalBytes, Instant estimatedCompletion) {
    /** Checks ranges and nulls. */
    public BackupProgress {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0 to 100, was " + percent);
        }
        if (bytesCopied < 0) {
            throw new IllegalArgumentException("bytesCopied must be 0 or more, was " + bytesCopied);
        }
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must be 0 or more, was " + totalBytes);
        }
        Objects.requireNonNull(estimatedCompletion, "estimatedCompletion");
    }
}
