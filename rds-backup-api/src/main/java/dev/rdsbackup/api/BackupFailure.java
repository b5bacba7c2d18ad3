package dev.rdsbackup.api;

import dev.rdsbackup.api.error.ErrorCode;
import java.util.Objects;

/**
 * Why a backup ended {@code FAILED} (or a delete ended {@code DELETE_FAILED}).
 *
 * @param code the stable reason, such as {@link ErrorCode#VERIFICATION_LOCK_NOT_OBTAINED}
 * @param message what happened, for a person; never contains untrusted text
 */
public record BackupFailure(ErrorCode code, String message) {
    /** Checks that no component is null. */
    public BackupFailure {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
