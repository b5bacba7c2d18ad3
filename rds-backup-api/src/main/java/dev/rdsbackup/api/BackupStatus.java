package dev.rdsbackup.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a backup, with the allowed transitions defined here and nowhere else.
 *
 * <pre>
 *   BUILDING ──► COMPLETED ─┐
 *      │ ├────► FAILED ─────┼──► DELETING ──► (record removed)
 *      │ └────► CANCELLED ──┘       │  ▲
 *      │                            ▼  │
 *      │                        DELETE_FAILED
 * </pre>
 *
 * A backup is <em>active</em> while {@code BUILDING}: at most one backup per instance is active. Work is
 * <em>in progress</em> while {@code BUILDING} or {@code DELETING}; every other status is terminal until
 * someone asks for a delete.
 */
public enum BackupStatus {
    /** Verifying the instance, waiting to retry, or copying data. */
    BUILDING,
    /** The data is stored and can be restored from. */
    COMPLETED,
    /** Verification or the copy failed; see {@link BackupRecord#failure()}. */
    FAILED,
    /** Cancelled on request (or because its instance was deleted) before it finished. */
    CANCELLED,
    /** The stored data is being deleted; the record goes away when that succeeds. */
    DELETING,
    /** Deleting the stored data failed; the delete can be asked for again. */
    DELETE_FAILED;

    private Set<BackupStatus> next;

    static {
        BUILDING.next = EnumSet.of(COMPLETED, FAILED, CANCELLED);
        COMPLETED.next = EnumSet.of(DELETING);
        FAILED.next = EnumSet.of(DELETING);
        CANCELLED.next = EnumSet.of(DELETING);
        DELETING.next = EnumSet.of(DELETE_FAILED);
        DELETE_FAILED.next = EnumSet.of(DELETING);
        for (BackupStatus status : values()) {
            status.next = Collections.unmodifiableSet(status.next);
        }
    }

    /** The statuses this one may move to (a {@code DELETING} backup is removed, not moved, on success). */
    public Set<BackupStatus> allowedTransitions() {
        return next;
    }

    /**
     * Whether this status may move to {@code target}.
     *
     * @param target the status to move to
     * @return {@code true} if the lifecycle allows the move
     */
    public boolean canTransitionTo(BackupStatus target) {
        return next.contains(target);
    }

    /** {@code true} while the backup is being built: the one active backup an instance may have. */
    public boolean isActive() {
        return this == BUILDING;
    }

    /** {@code true} while work runs on the backup ({@code BUILDING} or {@code DELETING}). */
    public boolean isInProgress() {
        return this == BUILDING || this == DELETING;
    }

    /** {@code true} when no work runs on the backup; the opposite of {@link #isInProgress()}. */
    public boolean isTerminal() {
        return !isInProgress();
    }

    /** {@code true} if a delete may be asked for in this status. */
    public boolean isDeletable() {
        return canTransitionTo(DELETING);
    }
}
