package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.BackupFailure;
import dev.rdsbackup.api.BackupLock;
import dev.rdsbackup.api.BackupProgress;
import dev.rdsbackup.api.BackupRecord;
import dev.rdsbackup.api.BackupStatus;
import dev.rdsbackup.api.BackupType;
import dev.rdsbackup.api.Datastore;
import dev.rdsbackup.api.Lease;
import dev.rdsbackup.api.error.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** A {@link BackupRecord} as a row: the columns, binding them and reading them back. */
public final class RecordRows {

    /** The identity columns, fixed at creation. */
    static final List<String> FIXED = List.of("id", "project_id", "instance_id", "name", "client_token");

    /** The columns a compare-and-set writes, in binding order. */
    static final List<String> MUTABLE = List.of("description", "type", "status", "datastore_engine",
            "datastore_version", "database_names", "begin_time", "end_time", "size_bytes", "progress_percent",
            "progress_bytes_copied", "progress_total_bytes", "progress_estimated_completion", "failure_code",
            "failure_message", "attempts", "lease_owner", "lease_expires_at", "lock_instance_id", "lock_token");

    /** Every stored column, in the order {@link #read} expects them. */
    public static final List<String> ALL = concat(FIXED, MUTABLE, List.of("version"));

    private final Times times;

    /**
     * Rows whose instants go through {@code times}.
     *
     * @param times the dialect's time binding
     */
    public RecordRows(Times times) {
        this.times = times;
    }

    /**
     * The record as it will be stored: instants truncated to the stored precision.
     *
     * @param record a record
     * @return the same record if nothing needed truncating, else a truncated copy
     */
    public static BackupRecord stored(BackupRecord record) {
        BackupProgress progress = record.progress();
        Lease lease = record.lease();
        boolean exact = Times.stored(record.beginTime()) == record.beginTime()
                && Times.stored(record.endTime()) == record.endTime()
                && (progress == null || Times.stored(progress.estimatedCompletion()) == progress.estimatedCompletion())
                && (lease == null || Times.stored(lease.expiresAt()) == lease.expiresAt());
        if (exact) {
            return record;
        }
        return record.toBuilder()
                .beginTime(Times.stored(record.beginTime()))
                .endTime(Times.stored(record.endTime()))
                .progress(progress == null ? null : new BackupProgress(progress.percent(), progress.bytesCopied(),
                        progress.totalBytes(), Times.stored(progress.estimatedCompletion())))
                .lease(lease == null ? null : new Lease(lease.owner(), Times.stored(lease.expiresAt())))
                .build();
    }

    /**
     * Binds the {@link #FIXED} columns from {@code first}.
     *
     * @param statement the statement
     * @param first the first parameter index
     * @param record the record
     * @return the next free parameter index
     * @throws SQLException from the driver
     */
    public int bindFixed(PreparedStatement statement, int first, BackupRecord record) throws SQLException {
        int i = first;
        statement.setString(i++, record.id());
        statement.setString(i++, record.projectId());
        statement.setString(i++, record.instanceId());
        statement.setString(i++, record.name());
        setString(statement, i++, record.clientToken());
        return i;
    }

    /**
     * Binds the {@link #MUTABLE} columns from {@code first}.
     *
     * @param statement the statement
     * @param first the first parameter index
     * @param record the record, at the stored precision
     * @return the next free parameter index
     * @throws SQLException from the driver
     */
    public int bindMutable(PreparedStatement statement, int first, BackupRecord record) throws SQLException {
        int i = first;
        setString(statement, i++, record.description());
        statement.setString(i++, record.type().name());
        statement.setString(i++, record.status().name());
        statement.setString(i++, record.datastore().engine());
        statement.setString(i++, record.datastore().version());
        statement.setString(i++, DatabaseList.encode(record.databases()));
        times.bind(statement, i++, record.beginTime());
        times.bind(statement, i++, record.endTime());
        statement.setLong(i++, record.sizeBytes());
        BackupProgress progress = record.progress();
        setInteger(statement, i++, progress == null ? null : progress.percent());
        setLong(statement, i++, progress == null ? null : progress.bytesCopied());
        setLong(statement, i++, progress == null ? null : progress.totalBytes());
        times.bind(statement, i++, progress == null ? null : progress.estimatedCompletion());
        BackupFailure failure = record.failure();
        setString(statement, i++, failure == null ? null : failure.code().name());
        setString(statement, i++, failure == null ? null : failure.message());
        statement.setInt(i++, record.attempts());
        Lease lease = record.lease();
        setString(statement, i++, lease == null ? null : lease.owner());
        times.bind(statement, i++, lease == null ? null : lease.expiresAt());
        BackupLock lock = record.lock();
        setString(statement, i++, lock == null ? null : lock.instanceId());
        setString(statement, i++, lock == null ? null : lock.token());
        return i;
    }

    /**
     * Reads the record on the current row of a result set selecting {@link #ALL} in order.
     *
     * @param rows the result set
     * @return the record
     * @throws SQLException from the driver
     */
    public BackupRecord read(ResultSet rows) throws SQLException {
        int i = 1;
        BackupRecord.Builder b = BackupRecord.builder()
                .id(rows.getString(i++))
                .projectId(rows.getString(i++))
                .instanceId(rows.getString(i++))
                .name(rows.getString(i++))
                .clientToken(rows.getString(i++))
                .description(rows.getString(i++))
                .type(BackupType.valueOf(rows.getString(i++)))
                .status(BackupStatus.valueOf(rows.getString(i++)));
        String engine = rows.getString(i++);
        b.datastore(new Datastore(engine, rows.getString(i++)))
                .databases(DatabaseList.decode(rows.getString(i++)))
                .beginTime(times.read(rows, i++))
                .endTime(times.read(rows, i++))
                .sizeBytes(rows.getLong(i++));
        int percent = rows.getInt(i++);
        boolean hasProgress = !rows.wasNull();
        long copied = rows.getLong(i++);
        long total = rows.getLong(i++);
        Instant estimate = times.read(rows, i++);
        if (hasProgress) {
            b.progress(new BackupProgress(percent, copied, total, estimate));
        }
        String code = rows.getString(i++);
        String message = rows.getString(i++);
        if (code != null) {
            b.failure(new BackupFailure(ErrorCode.valueOf(code), message));
        }
        b.attempts(rows.getInt(i++));
        String owner = rows.getString(i++);
        Instant expiresAt = times.read(rows, i++);
        if (owner != null) {
            b.lease(new Lease(owner, expiresAt));
        }
        String lockInstance = rows.getString(i++);
        String lockToken = rows.getString(i++);
        if (lockInstance != null) {
            b.lock(new BackupLock(lockInstance, lockToken));
        }
        return b.version(rows.getLong(i)).build();
    }

    /**
     * Runs a query selecting {@link #ALL} and reads every row.
     *
     * @param select the prepared, bound query
     * @return the records, in the query's order
     * @throws SQLException from the driver
     */
    public List<BackupRecord> readAll(PreparedStatement select) throws SQLException {
        List<BackupRecord> records = new java.util.ArrayList<>();
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                records.add(read(result));
            }
        }
        return records;
    }

    private static void setString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return List.copyOf(all);
    }
}
