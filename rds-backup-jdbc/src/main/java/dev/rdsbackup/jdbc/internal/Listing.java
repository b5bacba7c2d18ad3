package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupPage;
import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Listings: one page newest first, served by the instance or project index, and the total count, which is
 * needed only when the page does not show where the matches end (one row more than the page is read to
 * tell). A listing of a whole project or instance takes its count from the counts table (a sum over the
 * project's instances) in the page's own statement; a filtered one counts its matches.
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
     * One page of a listing with its total count. A listing of a whole project or instance reads its count
     * from the counts table in the page's own statement (a scalar subquery the database runs once). A filtered
     * listing counts its matches in a second statement, only when the page does not show where they end; with
     * autocommit on, that count may see writes made after the page was read, as any listing under concurrent
     * writes may.
     *
     * @param c the connection
     * @param query the query
     * @return the page
     * @throws SQLException from the driver
     */
    public BackupPage page(Connection c, BackupQuery query) throws SQLException {
        String where = sql.where(query);
        boolean counted = countedByInstance(query);
        List<BackupRecord> items = new ArrayList<>();
        long counts = -1;
        try (PreparedStatement page = c.prepareStatement(counted
                ? sql.pageWithCount(where, query.instanceId() != null) : sql.page(where))) {
            int i = 1;
            if (counted) {
                i = bindCounted(page, query);
            }
            i = bindWhere(page, i, query);
            page.setInt(i++, query.limit() + 1); // one more row tells whether the page holds the last match
            page.setInt(i, query.offset());
            try (ResultSet result = page.executeQuery()) {
                while (result.next()) {
                    items.add(rows.read(result));
                    if (counted) {
                        counts = result.getLong(RecordRows.ALL.size() + 1);
                    }
                }
            }
        }
        boolean more = items.size() > query.limit();
        if (more) {
            items = items.subList(0, query.limit());
        }
        long total;
        if (!more && (!items.isEmpty() || query.offset() == 0)) {
            total = (long) query.offset() + items.size(); // the page holds the last match: nothing to count
        } else if (counted && counts >= 0) {
            total = counts;
        } else if (counted) { // an offset past the last match: no row carried the count
            try (PreparedStatement count = c.prepareStatement(sql.counted(query.instanceId() != null))) {
                bindCounted(count, query);
                total = single(count);
            }
        } else {
            try (PreparedStatement count = c.prepareStatement(sql.count(where))) {
                bindWhere(count, 1, query);
                total = single(count);
            }
        }
        return new BackupPage(items, total, query.offset(), query.limit());
    }

    private static long single(PreparedStatement count) throws SQLException {
        try (ResultSet result = count.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Binds the counts table's look-up (project, then instance when the query has one); the next index. */
    private static int bindCounted(PreparedStatement statement, BackupQuery query) throws SQLException {
        int i = 1;
        statement.setString(i++, query.projectId());
        if (query.instanceId() != null) {
            statement.setString(i++, query.instanceId());
        }
        return i;
    }

    /** Whether the query's matches are all the backups of its project or instance, which the counts table holds. */
    private static boolean countedByInstance(BackupQuery query) {
        return query.type() == null && query.statuses().isEmpty() && query.windowStart() == null;
    }

    private int bindWhere(PreparedStatement statement, int first, BackupQuery query) throws SQLException {
        int i = first;
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
