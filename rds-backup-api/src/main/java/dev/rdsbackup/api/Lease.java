package dev.rdsbackup.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Which control-plane replica owns the work on an in-progress backup, and until when. The owner renews
 * the lease while it works; a lease that has expired marks work whose replica died, which
 * {@link BackupService#recover()} resolves.
 *
 * @param owner the id of the replica (service instance) that runs the work
 * @param expiresAt when the lease lapses unless renewed
 */
public record Lease(String owner, Instant expiresAt) {
    /** Checks that no component is null. */
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * Whether the lease has lapsed at {@code now}.
     *
     * @param now the current time, from the injected clock
     * @return {@code true} if {@code now} is at or after {@link #expiresAt()}
     */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
