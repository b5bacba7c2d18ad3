-- rds-backup: the number of backups of each instance, for MySQL 8.0 or newer and MariaDB 10.5 or newer (InnoDB).
-- The store keeps it in the transaction that inserts or deletes a record, so a listing's total count is a sum
-- over the project's instances instead of a count of its rows. Usable by Flyway or Liquibase as it is.
CREATE TABLE IF NOT EXISTS rds_backup_counts (
    project_id                    varbinary(255) NOT NULL,
    instance_id                   varbinary(255) NOT NULL,
    backups                       bigint NOT NULL,
    CONSTRAINT rds_backup_counts_pkey PRIMARY KEY (project_id, instance_id)
) ENGINE = InnoDB;
-- Counts the records already stored (none in a new table). At REPEATABLE READ (the default) the INSERT ... SELECT
-- reads them with shared locks, so writers wait until the count is committed and none is missed or counted
-- twice; at READ COMMITTED it does not: run this before starting a store of this version.
INSERT INTO rds_backup_counts (project_id, instance_id, backups)
SELECT project_id, instance_id, COUNT(*) FROM rds_backup GROUP BY project_id, instance_id
ON DUPLICATE KEY UPDATE backups = VALUES(backups);
