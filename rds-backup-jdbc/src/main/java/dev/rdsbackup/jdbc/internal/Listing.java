package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Listings: one page newest first, served by the instance or project index, and the total count, which is
 * counted only when the page does not show where the matches end (one row more than the page is read to
 * tell).
 */
public final class Listing {

    private final Statements sql;
    private final RecordRows rows;
    private final Times times;

    /**
     * Listings on a table.
     *
     * @param sql the table's statements
     * @param rows reads records
     * @param times binds instants
     */
    public Listing(Statements sql, RecordRows rows, Times times) {
        this.sql = sql;
        this.rows = rows;
        this.times = times;
    }

    /**
     * One page of a listing with its total count. With autocommit on, the count (when one is needed) is a
     * statement of its own and may see writes made after the page was read, as any listing under concurrent
     * writes may.
     *
     * @param c the connection
     * @param query the query
     * @return the page
     * @throws SQLException from the driver
     */
    public BackupPage page(Connection c, BackupQuery query) throws SQLException {
        String where = sql.where(query);
        List<BackupRecord> items;
        try (PreparedStatement page = c.prepareStatement(sql.page(where))) {
            int i = bindWhere(page, query);
            page.setInt(i++, query.limit() + 1); // one more row tells whether the page holds the last match
            page.setInt(i, query.offset());
            items = rows.readAll(page);
        }
        boolean more = items.size() > query.limit();
        if (more) {
            items = items.subList(0, query.limit());
        }
        long total;
        if (!more && (!items.isEmpty() || query.offset() == 0)) {
            total = (long) query.offset() + items.size(); // the page holds the last match: nothing to count
        } else {
            try (PreparedStatement count = c.prepareStatement(sql.count(where))) {
                bindWhere(count, query);
                try (ResultSet result = count.executeQuery()) {
                    result.next();
                    total = result.getLong(1);
                }
            }
        }
        return new BackupPage(items, total, query.offset(), query.limit());
    }

    private int bindWhere(PreparedStatement statement, BackupQuery query) throws SQLException {
        int i = 1;
        statement.setString(i++, query.projectId());
        if (query.instanceId() != null) {
            statement.setString(i++, query.instanceId());
        }
        if (query.type() != null) {
            statement.setString(i++, query.type().name());
        }
        for (BackupStatus status : query.statuses()) {
            statement.setString(i++, status.name());
        }
        if (query.windowStart() != null) {
            times.bind(statement, i++, query.windowStart());
            times.bind(statement, i++, query.windowEnd());
        }
        return i;
    }
}
