package dev.rdsbackup.api;

/** Who asked for a backup. */
public enum BackupType {
    /** Created on request by a user; outlives its instance and is deleted only on request. */
    MANUAL,
    /** Created by the host's backup-policy scheduler; deleted together with its instance. */
    AUTOMATED
}
