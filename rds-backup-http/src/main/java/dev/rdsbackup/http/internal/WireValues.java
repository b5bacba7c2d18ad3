package dev.rdsbackup.http.internal;

import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The API's statuses and types, and how the library's map onto them. The wire knows only {@code BUILDING},
 * {@code COMPLETED}, {@code FAILED} and {@code DELETING}, and clients treat anything else as still pending:
 * {@code CANCELLED} reads {@code FAILED} (the build ended without a backup), and {@code DELETE_FAILED} reads
 * {@code FAILED} too (the delete ended without removing the backup: a client polling a delete stops and reports
 * it, and a new delete retries it). The precise status goes in the extra field {@code rds_backup_status}.
 */
public final class WireValues {

    private WireValues() {
    }

    /**
     * The wire status of a library status.
     *
     * @param status the library's status
     * @return {@code BUILDING}, {@code COMPLETED}, {@code FAILED} or {@code DELETING}
     */
    public static String status(BackupStatus status) {
        return switch (status) {
            case BUILDING -> "BUILDING";
            case COMPLETED -> "COMPLETED";
            case FAILED, CANCELLED, DELETE_FAILED -> "FAILED";
            case DELETING -> "DELETING";
        };
    }

    /**
     * The library statuses a wire status filter selects.
     *
     * @param wire the filter value, untrusted
     * @return the statuses, or empty if the value is not a wire status
     */
    public static Optional<Set<BackupStatus>> statusFilter(String wire) {
        return Optional.ofNullable(switch (wire) {
            case "BUILDING" -> EnumSet.of(BackupStatus.BUILDING);
            case "COMPLETED" -> EnumSet.of(BackupStatus.COMPLETED);
            case "FAILED" -> EnumSet.of(BackupStatus.FAILED, BackupStatus.CANCELLED, BackupStatus.DELETE_FAILED);
            case "DELETING" -> EnumSet.of(BackupStatus.DELETING);
            default -> null;
        });
    }

    /**
     * The wire type of a library type.
     *
     * @param type the library's type
     * @return {@code manual} or {@code auto}
     */
    public static String type(BackupType type) {
        return type == BackupType.MANUAL ? "manual" : "auto";
    }

    /** What a {@code backup_type} filter asks for. */
    public enum TypeFilter {
        /** {@code manual}. */
        MANUAL,
        /** {@code auto}. */
        AUTO,
        /** {@code fragment} or {@code incremental}: valid on the wire, never produced here, so nothing matches. */
        NONE_HERE;

        /**
         * Reads a filter value.
         *
         * @param wire the value, untrusted
         * @return the filter, or empty if the value is not a wire type
         */
        public static Optional<TypeFilter> parse(String wire) {
            return Optional.ofNullable(switch (wire) {
                case "manual" -> MANUAL;
                case "auto" -> AUTO;
                case "fragment", "incremental" -> NONE_HERE;
                default -> null;
            });
        }

        /** The library type, or {@code null} for {@link #NONE_HERE}. */
        public BackupType backupType() {
            return switch (this) {
                case MANUAL -> BackupType.MANUAL;
                case AUTO -> BackupType.AUTOMATED;
                case NONE_HERE -> null;
            };
        }
    }
}
