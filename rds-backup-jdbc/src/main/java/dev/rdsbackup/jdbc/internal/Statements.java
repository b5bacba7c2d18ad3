package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.jdbc.SqlDialect;
import java.util.Collections;

/**
 * The SQL text of every statement the store runs, built once from the validated table name. Only
 * placeholders carry values; the only variable parts are the number of placeholders in IN lists.
 */
public final class Statements {

    private final TableName table;
    private final String columns;
    private final String insert;
    private final String update;
    private final String find;
    private final String findByClientToken;
    private final String conflicts;
    private final String delete;
    private final String expiredLeases;
    private final String renewLeasesArray;
    private final String countUp;
    private final String countDown;
    private final String lockForDelete;
    private final String projectCount;
    private final String instanceCount;

    /**
     * The statements for a table.
     *
     * @param table the table
     */
    public Statements(TableName table) {
        this.table = table;
        this.columns = String.join(", ", RecordRows.ALL);
        String from = " FROM " + table.qualified();
        String counts = table.countsQualified();
        String insertRow = "INSERT INTO " + table.qualified() + " (" + columns + ") VALUES ("
                + placeholders(RecordRows.ALL.size()) + ")";
        String delete = "DELETE" + from + " WHERE id = ? AND version = ?";
        if (table.dialect() == SqlDialect.POSTGRESQL) {
            // One statement inserts the record and counts it (a data-modifying WITH runs exactly once).
            this.insert = "WITH created AS (" + insertRow + " RETURNING project_id, instance_id)"
                    + " INSERT INTO " + counts + " AS n (project_id, instance_id, backups)"
                    + " SELECT project_id, instance_id, 1 FROM created"
                    + " ON CONFLICT (project_id, instance_id) DO UPDATE SET backups = n.backups + 1";
            // One statement deletes the record and uncounts it; it answers how many records it deleted.
            this.delete = "WITH gone AS (" + delete + " RETURNING project_id, instance_id),"
                    + " uncounted AS (UPDATE " + counts + " AS n SET backups = n.backups - 1 FROM gone"
                    + " WHERE n.project_id = gone.project_id AND n.instance_id = gone.instance_id)"
                    + " SELECT COUNT(*) FROM gone";
        } else {
            this.insert = insertRow;
            this.delete = delete;
        }
        this.countUp = "INSERT INTO " + counts + " (project_id, instance_id, backups) VALUES (?, ?, 1)"
                + " ON DUPLICATE KEY UPDATE backups = backups + 1";
        this.countDown = "UPDATE " + counts + " SET backups = backups - 1 WHERE project_id = ? AND instance_id = ?";
        this.lockForDelete = "SELECT project_id, instance_id" + from + " WHERE id = ? AND version = ? FOR UPDATE";
        this.projectCount = "SELECT COALESCE(SUM(backups), 0) FROM " + counts + " WHERE project_id = ?";
        this.instanceCount = "SELECT COALESCE(SUM(backups), 0) FROM " + counts
                + " WHERE project_id = ? AND instance_id = ?";
        StringBuilder set = new StringBuilder();
        for (String column : RecordRows.MUTABLE) {
            set.append(column).append(" = ?, ");
        }
        // The fixed fields must still match, but only the id may choose the index: written as four equalities,
        // PostgreSQL's planner takes the project listing's index (project_id, begin_time, id) as just as good as
        // the primary key and walks a whole project's entries for each write. A row comparison is not
        // indexable, so the primary key is the only way in (and MySQL reads a primary-key equality first).
        String sameFixed = table.dialect() == SqlDialect.MYSQL
                ? "(project_id, instance_id, name, client_token) <=> (?, ?, ?, ?)"
                : "ROW(project_id, instance_id, name, client_token) IS NOT DISTINCT FROM ROW(?, ?, ?, ?)";
        this.update = "UPDATE " + table.qualified() + " SET " + set + "version = version + 1"
                + " WHERE id = ? AND " + sameFixed + " AND version = ?";
        this.find = "SELECT " + columns + from + " WHERE id = ?";
        this.findByClientToken = "SELECT " + columns + from + " WHERE project_id = ? AND client_token = ?";
        // Every record a new one may collide with: same token, or same instance with the same name or BUILDING.
        this.conflicts = "SELECT " + columns + from + " WHERE project_id = ? AND (client_token = ?"
                + " OR (instance_id = ? AND (name = ? OR status = 'BUILDING')))";
        this.expiredLeases = "SELECT " + columns + from
                + " WHERE lease_owner IS NOT NULL AND lease_expires_at <= ? AND id > ? ORDER BY id LIMIT ?";
        this.renewLeasesArray = "UPDATE " + table.qualified()
                + " SET lease_expires_at = ?, version = version + 1 WHERE lease_owner = ? AND id = ANY (?)";
    }

    /**
     * Inserts every column; on PostgreSQL also counts the record in the counts table, in the same statement
     * (MySQL: {@link #countUp()} follows in the same transaction).
     */
    public String insert() {
        return insert;
    }

    /** MySQL: counts one more backup of an instance (project, instance). */
    public String countUp() {
        return countUp;
    }

    /** MySQL: counts one backup less of an instance (project, instance). */
    public String countDown() {
        return countDown;
    }

    /** MySQL: locks the record a delete would remove and reads its project and instance (id, version). */
    public String lockForDelete() {
        return lockForDelete;
    }

    /**
     * The backups of a project, or of one instance when {@code instance} is set, from the counts table
     * (project[, instance]).
     *
     * @param instance whether the count is of one instance
     * @return the statement
     */
    public String counted(boolean instance) {
        return instance ? instanceCount : projectCount;
    }

    /** Compare-and-set: the mutable columns, where id, identity and version match. */
    public String update() {
        return update;
    }

    /** One record by id. */
    public String find() {
        return find;
    }

    /** One record by project and client token. */
    public String findByClientToken() {
        return findByClientToken;
    }

    /** The records a new one may collide with (project, token, instance, name). */
    public String conflicts() {
        return conflicts;
    }

    /**
     * Delete by id and version (id, version). On PostgreSQL also uncounts the record, in the same statement, and
     * is a query answering how many records it deleted; on MySQL an update whose count is the answer.
     */
    public String delete() {
        return delete;
    }

    /** Expired leases after an id, by id (now, after id, limit). */
    public String expiredLeases() {
        return expiredLeases;
    }

    /** PostgreSQL: renew the owner's leases on an array of ids (expiry, owner, ids). */
    public String renewLeasesArray() {
        return renewLeasesArray;
    }

    /**
     * MySQL: renew the owner's leases on a list of ids (expiry, owner, ids).
     *
     * @param ids how many ids the IN list holds
     * @return the statement
     */
    public String renewLeasesIn(int ids) {
        return "UPDATE " + table.qualified() + " SET lease_expires_at = ?, version = version + 1"
                + " WHERE lease_owner = ? AND id IN (" + placeholders(ids) + ")";
    }

    /**
     * The WHERE clause of a listing (project, then instance, type, statuses and window when the query has them).
     *
     * @param query the query
     * @return the clause
     */
    public String where(BackupQuery query) {
        StringBuilder where = new StringBuilder(" WHERE project_id = ?");
        if (query.instanceId() != null) {
            where.append(" AND instance_id = ?");
        }
        if (query.type() != null) {
            where.append(" AND type = ?");
        }
        if (!query.statuses().isEmpty()) {
            where.append(" AND status IN (").append(placeholders(query.statuses().size())).append(')');
        }
        if (query.windowStart() != null) {
            where.append(" AND begin_time >= ? AND begin_time < ?");
        }
        return where.toString();
    }

    /**
     * One page of a listing, newest first (the where clause's values, then limit and offset).
     *
     * @param where the clause from {@link #where}
     * @return the statement
     */
    public String page(String where) {
        return "SELECT " + columns + " FROM " + table.qualified() + where
                + " ORDER BY begin_time DESC, id DESC LIMIT ? OFFSET ?";
    }

    /**
     * One page of an unfiltered listing, newest first, each row carrying the project's or instance's count from
     * the counts table as one more column (project[, instance], then the where clause's values, limit and
     * offset).
     *
     * @param where the clause from {@link #where}
     * @param instance whether the listing is of one instance
     * @return the statement
     */
    public String pageWithCount(String where, boolean instance) {
        return "SELECT " + columns + ", (" + counted(instance) + ") FROM " + table.qualified() + where
                + " ORDER BY begin_time DESC, id DESC LIMIT ? OFFSET ?";
    }

    /**
     * The number of records a listing matches.
     *
     * @param where the clause from {@link #where}
     * @return the statement
     */
    public String count(String where) {
        return "SELECT COUNT(*) FROM " + table.qualified() + where;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
