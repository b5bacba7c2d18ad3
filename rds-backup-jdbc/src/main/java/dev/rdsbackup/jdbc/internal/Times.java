package dev.rdsbackup.jdbc.internal;

import dev.rdsbackup.api.spi.BackupStore;
import dev.rdsbackup.jdbc.SqlDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from the database, in UTC whatever the JDBC session's or the JVM's time zone:
 * {@link OffsetDateTime} at UTC for PostgreSQL's {@code timestamptz}, {@link LocalDateTime} read as UTC for
 * MySQL's {@code datetime(6)} (a type without a zone, so no driver or session converts it).
 */
public final class Times {

    private final SqlDialect dialect;

    /**
     * Times for a dialect.
     *
     * @param dialect the dialect
     */
    public Times(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Binds an instant, or SQL NULL.
     *
     * @param statement the statement
     * @param index the parameter index
     * @param instant the instant, truncated to {@link BackupStore#TIMESTAMP_PRECISION}, or {@code null}
     * @throws SQLException from the driver
     */
    public void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (dialect == SqlDialect.MYSQL) {
            if (instant == null) {
                statement.setNull(index, Types.TIMESTAMP);
            } else {
                statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
        } else if (instant == null) {
            // Named, so the driver sends the same type as for an OffsetDateTime (PgJDBC 42.7 sends "unspecified"
            // for a bare TIMESTAMP_WITH_TIMEZONE null): a parameter whose type changes between executions makes
            // the driver prepare the statement anew, and a compare-and-set that sets end_time, or clears a lease,
            // was parsed and planned again every time.
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE, "timestamptz");
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    /**
     * Reads an instant.
     *
     * @param rows the result set, on a row
     * @param column the column index
     * @return the instant, or {@code null} for SQL NULL
     * @throws SQLException from the driver
     */
    public Instant read(ResultSet rows, int column) throws SQLException {
        if (dialect == SqlDialect.MYSQL) {
            LocalDateTime local = rows.getObject(column, LocalDateTime.class);
            return local == null ? null : local.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime offset = rows.getObject(column, OffsetDateTime.class);
        return offset == null ? null : offset.toInstant();
    }

    /**
     * An instant at the stored precision.
     *
     * @param instant an instant, or {@code null}
     * @return it truncated to {@link BackupStore#TIMESTAMP_PRECISION}, or {@code null}
     */
    public static Instant stored(Instant instant) {
        return instant == null || instant.getNano() % 1_000 == 0
                ? instant
                : instant.truncatedTo(BackupStore.TIMESTAMP_PRECISION);
    }
}
