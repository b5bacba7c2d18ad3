package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.jdbc.SqlDialect;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Leases: the expired ones, paged by id, and the renewal of one replica's leases in one statement. */
public final class Leases {

    /** MySQL: ids per IN list, well under any packet or placeholder limit. */
    private static final int IN_LIST_CHUNK = 1_000;

    private final SqlDialect dialect;
    private final Statements sql;
    private final RecordRows rows;
    private final Times times;

    /**
     * Leases on a table.
     *
     * @param dialect the database
     * @param sql the table's statements
     * @param rows reads records
     * @param times binds instants
     */
    public Leases(SqlDialect dialect, Statements sql, RecordRows rows, Times times) {
        this.dialect = dialect;
        this.sql = sql;
        this.rows = rows;
        this.times = times;
    }

    /**
     * Records whose lease expired at or before {@code now}, after an id, by id.
     *
     * @param c the connection
     * @param now the time
     * @param afterId the last id of the previous page, or {@code null}
     * @param limit the most records
     * @return the records
     * @throws SQLException from the driver
     */
    public List<BackupRecord> expired(Connection c, Instant now, String afterId, int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql.expiredLeases())) {
            times.bind(select, 1, now);
            select.setString(2, afterId == null ? "" : afterId); // every id sorts after the empty string
            select.setInt(3, limit);
            return rows.readAll(select);
        }
    }

    /**
     * Renews the owner's leases on the given records: one UPDATE with an array on PostgreSQL, one per
     * thousand ids on MySQL, all in the caller's transaction.
     *
     * @param c the connection
     * @param owner the replica
     * @param ids distinct record ids, at least one
     * @param expiresAt the new expiry
     * @return how many were renewed
     * @throws SQLException from the driver
     */
    public int renew(Connection c, String owner, List<String> ids, Instant expiresAt) throws SQLException {
        Instant expiry = Times.stored(expiresAt);
        if (dialect == SqlDialect.POSTGRESQL) {
            try (PreparedStatement update = c.prepareStatement(sql.renewLeasesArray())) {
                Array array = c.createArrayOf("varchar", ids.toArray());
                times.bind(update, 1, expiry);
                update.setString(2, owner);
                update.setArray(3, array);
                return update.executeUpdate();
            }
        }
        int count = 0;
        for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK));
            try (PreparedStatement update = c.prepareStatement(sql.renewLeasesIn(chunk.size()))) {
                times.bind(update, 1, expiry);
                update.setString(2, owner);
                for (int i = 0; i < chunk.size(); i++) {
                    update.setString(3 + i, chunk.get(i));
                }
                count += update.executeUpdate();
            }
        }
        return count;
    }
}
