package dev.rdsbackup.testkit.internal;

import dev.rdsbackup.api.BackupQuery;
import dev.rdsbackup.api.BackupRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;

/**
 * The sort key of the in-memory store's indexes: begin time descending, then id descending, the order of
 * {@link BackupQuery#NEWEST_FIRST}. A key with a {@code null} id is a boundary that sorts after every
 * record of its begin time, so a begin-time window becomes a sub-map. Not part of the public API.
 *
 * @param beginTime the record's begin time
 * @param id the record's id, or {@code null} for a boundary
 */
public record NewestFirstKey(Instant beginTime, String id) implements Comparable<NewestFirstKey> {

    /**
     * The key of a record.
     *
     * @param record the record
     * @return its key
     */
    public static NewestFirstKey of(BackupRecord record) {
        return new NewestFirstKey(record.beginTime(), record.id());
    }

    @Override
    public int compareTo(NewestFirstKey other) {
        int byTime = other.beginTime.compareTo(beginTime);
        if (byTime != 0) {
            return byTime;
        }
        if (id == null || other.id == null) {
            return id == null ? (other.id == null ? 0 : 1) : -1;
        }
        return other.id.compareTo(id);
    }

    /**
     * The part of an index whose begin times fall in {@code [start, end)}.
     *
     * @param index the index, newest first
     * @param start inclusive, or {@code null}
     * @param end exclusive, or {@code null}
     * @param <V> the value type
     * @return a view of the index
     */
    public static <V> NavigableMap<NewestFirstKey, V> window(
            NavigableMap<NewestFirstKey, V> index, Instant start, Instant end) {
        if (start != null && end != null) {
            if (!start.isBefore(end)) {
                return Collections.emptyNavigableMap();
            }
            return index.subMap(new NewestFirstKey(end, null), false, new NewestFirstKey(start, null), false);
        }
        if (end != null) {
            // Every record with beginTime >= end sorts before (end, null).
            return index.tailMap(new NewestFirstKey(end, null), false);
        }
        if (start != null) {
            // Every record with beginTime >= start sorts before (start, null).
            return index.headMap(new NewestFirstKey(start, null), false);
        }
        return index;
    }
}
