package dev.rdsbackup.api.spi;

/** The replication role of a DB instance. */
public enum InstanceRole {
    /** A primary (standalone or the primary of a primary/standby pair): can be backed up. */
    PRIMARY,
    /** A read replica: manual backups are refused. */
    READ_REPLICA
}
