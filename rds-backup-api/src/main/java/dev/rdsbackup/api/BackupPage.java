package dev.rdsbackup.api;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing, newest first (begin time descending, then id descending).
 *
 * @param items the records on this page, at most {@code limit}
 * @param totalCount how many records match the query in all
 * @param offset the offset the page starts at
 * @param limit the page size asked for
 */
public record BackupPage(List<BackupRecord> items, long totalCount, int offset, int limit) {
    /** Checks nulls and ranges, and copies the items. */
    public BackupPage {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
        if (totalCount < 0) {
            throw new IllegalArgumentException("totalCount must be 0 or more, was " + totalCount);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be 1 or more, was " + limit);
        }
    }

    /** {@code true} if more records match after this page. */
    public boolean hasMore() {
        return (long) offset + items.size() < totalCount;
    }
}
