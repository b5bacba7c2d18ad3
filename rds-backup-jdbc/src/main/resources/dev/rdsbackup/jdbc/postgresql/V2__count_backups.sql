-- rds-backup: the number of backups of each instance, for PostgreSQL. The store keeps it in the statement that
-- inserts or deletes a record, so a listing's total count is a sum over the project's instances instead of a
-- count of its rows. Usable by Flyway or Liquibase as it is.
CREATE TABLE IF NOT EXISTS rds_backup_counts (
    project_id                    varchar(255) COLLATE "C" NOT NULL,
    instance_id                   varchar(255) COLLATE "C" NOT NULL,
    backups                       bigint       NOT NULL,
    CONSTRAINT rds_backup_counts_pkey PRIMARY KEY (project_id, instance_id)
);
-- Counts the records already stored (none in a new table). A store of this version refuses to start until the
-- counts table exists, and run in one transaction (as Flyway runs a migration), the table appears with its
-- count, so no store counts a record the count below misses. Records written meanwhile by replicas of an
-- older version are not counted: upgrade them all, then rebuild the counts (README, "Storing backups in SQL").
INSERT INTO rds_backup_counts (project_id, instance_id, backups)
SELECT project_id, instance_id, COUNT(*) FROM rds_backup GROUP BY project_id, instance_id
ON CONFLICT (project_id, instance_id) DO UPDATE SET backups = EXCLUDED.backups;
