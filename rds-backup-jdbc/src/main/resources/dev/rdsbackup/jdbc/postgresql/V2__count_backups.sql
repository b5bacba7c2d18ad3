-- rds-backup: the number of backups of each instance, for PostgreSQL. The store keeps it in the statement that
-- inserts or deletes a record, so a listing's total count is a sum over the project's instances instead of a
-- count of its rows. Usable by Flyway as it is (Flyway runs it in one transaction); run by hand, run it in one
-- transaction too (psql --single-transaction), as LOCK TABLE needs one.
CREATE TABLE IF NOT EXISTS rds_backup_counts (
    project_id                    varchar(255) COLLATE "C" NOT NULL,
    instance_id                   varchar(255) COLLATE "C" NOT NULL,
    backups                       bigint       NOT NULL,
    CONSTRAINT rds_backup_counts_pkey PRIMARY KEY (project_id, instance_id)
);
-- Counts the records already stored (none in a new table). Writers wait until the count is committed, so none
-- is missed or counted twice.
LOCK TABLE rds_backup IN SHARE MODE;
INSERT INTO rds_backup_counts (project_id, instance_id, backups)
SELECT project_id, instance_id, COUNT(*) FROM rds_backup GROUP BY project_id, instance_id
ON CONFLICT (project_id, instance_id) DO UPDATE SET backups = EXCLUDED.backups;
