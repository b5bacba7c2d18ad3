-- rds-backup: the table of backup records, for PostgreSQL 12 or newer (designed to carry to CockroachDB and
-- YugabyteDB: no advisory locks, no PostgreSQL-only types). Usable by Flyway or Liquibase as it is.
-- Ids, names, tokens and owners compare byte-wise (COLLATE "C"); instants are timestamptz with microseconds.
CREATE TABLE IF NOT EXISTS rds_backup (
    id                            varchar(255) COLLATE "C" NOT NULL,
    project_id                    varchar(255) COLLATE "C" NOT NULL,
    instance_id                   varchar(255) COLLATE "C" NOT NULL,
    name                          varchar(255) COLLATE "C" NOT NULL,
    description                   text,
    type                          varchar(16)  NOT NULL,
    status                        varchar(16)  NOT NULL,
    datastore_engine              varchar(64)  NOT NULL,
    datastore_version             varchar(64)  NOT NULL,
    database_names                text         NOT NULL,
    client_token                  varchar(255) COLLATE "C",
    begin_time                    timestamptz(6) NOT NULL,
    end_time                      timestamptz(6),
    size_bytes                    bigint       NOT NULL,
    progress_percent              integer,
    progress_bytes_copied         bigint,
    progress_total_bytes          bigint,
    progress_estimated_completion timestamptz(6),
    failure_code                  varchar(64),
    failure_message               text,
    attempts                      integer      NOT NULL,
    lease_owner                   varchar(255) COLLATE "C",
    lease_expires_at              timestamptz(6),
    lock_instance_id              varchar(255) COLLATE "C",
    lock_token                    text,
    version                       bigint       NOT NULL,
    CONSTRAINT rds_backup_pkey PRIMARY KEY (id),
    CONSTRAINT rds_backup_token_uq UNIQUE (project_id, client_token),
    CONSTRAINT rds_backup_name_uq UNIQUE (project_id, instance_id, name)
) WITH (fillfactor = 70);
-- fillfactor 70: each page keeps room, so a lease renewal or a progress write, which changes no indexed column,
-- is a heap-only update that touches no index. Renewing 100,000 leases in one UPDATE took about 4.8 s on full
-- pages and about 0.6 s with this room (README, "The JDBC store on embedded PostgreSQL").
-- One BUILDING backup per instance.
CREATE UNIQUE INDEX IF NOT EXISTS rds_backup_building_uq ON rds_backup (project_id, instance_id) WHERE status = 'BUILDING';
-- Listings, newest first: one instance, and a whole project.
CREATE INDEX IF NOT EXISTS rds_backup_instance_idx ON rds_backup (project_id, instance_id, begin_time DESC, id DESC);
CREATE INDEX IF NOT EXISTS rds_backup_project_idx ON rds_backup (project_id, begin_time DESC, id DESC);
-- The reconciler's search for expired leases (the leased records, by id), and the renewal of one replica's
-- leases. No index holds lease_expires_at or version, the columns a renewal writes, so PostgreSQL can renew
-- a lease without touching any index (a heap-only update).
CREATE INDEX IF NOT EXISTS rds_backup_lease_idx ON rds_backup (id) WHERE lease_owner IS NOT NULL;
CREATE INDEX IF NOT EXISTS rds_backup_owner_idx ON rds_backup (lease_owner);
