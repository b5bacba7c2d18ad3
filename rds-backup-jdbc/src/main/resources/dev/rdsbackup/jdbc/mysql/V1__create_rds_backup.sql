-- rds-backup: the table of backup records, for MySQL 8.0 or newer and MariaDB 10.5 or newer (InnoDB).
-- Usable by Flyway or Liquibase as it is. Ids, names, tokens and owners are VARBINARY: they compare
-- byte-wise, case-sensitively and without trailing-space padding. Instants are datetime(6) holding UTC.
CREATE TABLE IF NOT EXISTS rds_backup (
    id                            varbinary(255) NOT NULL,
    project_id                    varbinary(255) NOT NULL,
    instance_id                   varbinary(255) NOT NULL,
    name                          varbinary(255) NOT NULL,
    description                   text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    type                          varchar(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status                        varchar(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    datastore_engine              varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    datastore_version             varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    database_names                text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    client_token                  varbinary(255),
    begin_time                    datetime(6) NOT NULL,
    end_time                      datetime(6),
    size_bytes                    bigint NOT NULL,
    progress_percent              int,
    progress_bytes_copied         bigint,
    progress_total_bytes          bigint,
    progress_estimated_completion datetime(6),
    failure_code                  varchar(64) CHARACTER SET ascii COLLATE ascii_bin,
    failure_message               text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    attempts                      int NOT NULL,
    lease_owner                   varbinary(255),
    lease_expires_at              datetime(6),
    lock_instance_id              varbinary(255),
    lock_token                    text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    version                       bigint NOT NULL,
    -- The instance while the backup is BUILDING, else NULL: its unique index allows one BUILDING per instance.
    building_instance_id          varbinary(255) GENERATED ALWAYS AS (CASE WHEN status = 'BUILDING' THEN instance_id END) STORED,
    CONSTRAINT rds_backup_pkey PRIMARY KEY (id),
    UNIQUE KEY rds_backup_token_uq (project_id, client_token),
    UNIQUE KEY rds_backup_name_uq (project_id, instance_id, name),
    UNIQUE KEY rds_backup_building_uq (project_id, building_instance_id),
    -- Listings, newest first: one instance, and a whole project.
    KEY rds_backup_instance_idx (project_id, instance_id, begin_time, id),
    KEY rds_backup_project_idx (project_id, begin_time, id),
    -- The reconciler's search for expired leases, and the renewal of one replica's leases.
    KEY rds_backup_lease_idx (lease_expires_at, id),
    KEY rds_backup_owner_idx (lease_owner)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
