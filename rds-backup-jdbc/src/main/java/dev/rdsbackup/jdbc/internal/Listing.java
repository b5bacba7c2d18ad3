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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listings: one page newest first, served by the instance or project index, and the total count, which is
 * needed only when the page does not show where the matches end (one row more than the page is read to
 * tell). A listing of a whole project or instance takes its count from the counts table (a sum over the
 * project's instances) in the page's own statement; a filtered one counts its matches.
 */
public final class Listing {

    private static final Logger LOG = LoggerFactory.getLogger(Listing.class);

    private final Statements sql;
    private final RecordRows rows;
    private final Times times;
    private final String table;
    private final AtomicBoolean driftWarned = new AtomicBoolean();

    /**
     * Listings on a table.
     *
     * @param sql the table's statements
     * @param rows reads records
     * @param times binds instants
     * @param table the table, for the log
     */
    public Listing(Statements sql, RecordRows rows, Times times, TableName table) {
        this.sql = sql;
        this.rows = rows;
        this.times = times;
        this.table = table.toString();
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
        boolean counted = unfiltered(query);
        List<BackupRecord> items = new ArrayList<>();
        boolean countRead = false;
        long counts = 0;
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
                        countRead = true;
                    }
                }
            }
        }
        boolean more = items.size() > query.limit();
        if (more) {
            items = items.subList(0, query.limit());
        }
        long seen = (long) query.offset() + items.size();
        long total;
        if (!more && (!items.isEmpty() || query.offset() == 0)) {
            total = seen; // the page holds the last match: nothing to count
            if (countRead && counts != seen) {
                drifted(counts, seen, true);
            }
        } else if (counted && !countRead) {
            // An empty page past the last match: no row carried the count, and there are at most offset matches.
            try (PreparedStatement count = c.prepareStatement(sql.counted(query.instanceId() != null))) {
                bindCounted(count, query);
                counts = single(count);
            }
            total = Math.max(0, Math.min(counts, query.offset()));
        } else if (counted) {
            // More rows than the page: never fewer than it shows and one, so a count that drifted below the rows
            // (rows written by hand) cannot end a caller's paging early.
            if (counts <= seen) {
                drifted(counts, seen + 1, false);
            }
            total = Math.max(counts, seen + 1);
        } else {
            try (PreparedStatement count = c.prepareStatement(sql.count(where))) {
                bindWhere(count, 1, query);
                total = single(count);
            }
        }
        return new BackupPage(items, total, query.offset(), query.limit());
    }

    /**
     * Warns, once per store, that the counts table disagrees with the rows a listing saw; later disagreements
     * are logged at debug. Ids are not logged: they reach the store unchecked when a host calls it directly.
     */
    private void drifted(long counted, long rows, boolean exact) {
        String shown = (exact ? "" : "at least ") + rows;
        if (driftWarned.compareAndSet(false, true)) {
            LOG.warn("The counts table of {} says {} backups where a listing shows {}: rows were written to or"
                    + " deleted from the table without the store. Rebuild the counts (README, \"Storing backups in"
                    + " SQL\", counts); meanwhile totals are never less than what a listing shows", table, counted,
                    shown);
        } else {
            LOG.debug("The counts table of {} says {} backups where a listing shows {}", table, counted, shown);
        }
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

    /** Whether the query has no filter but its project or instance: its matches are what the counts table counts. */
    private static boolean unfiltered(BackupQuery query) {
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
