package io.eltcdc.source.dialect;

import io.eltcdc.model.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Reads one column of the current row as the Java class its {@link ColumnType} prescribes. One
 * reader per column is chosen before a chunk's rows are read, so rows are read without a type
 * switch each.
 *
 * <p>Every reader keeps the value exact: decimals as {@code BigDecimal} (or their text), times and
 * timestamps through {@code java.time} (never {@code java.sql.Timestamp}, which would pass through
 * the JVM's time zone), {@code timestamptz} as the instant it denotes.
 */
@FunctionalInterface
public interface ColumnReader {
    Object read(ResultSet rs, int index) throws SQLException;

    static ColumnReader of(ColumnType type) {
        switch (type) {
            case INT32:
                return (rs, i) -> {
                    int v = rs.getInt(i);
                    return rs.wasNull() ? null : v;
                };
            case INT64:
                return (rs, i) -> {
                    long v = rs.getLong(i);
                    return rs.wasNull() ? null : v;
                };
            case FLOAT32:
                return (rs, i) -> {
                    float v = rs.getFloat(i);
                    return rs.wasNull() ? null : v;
                };
            case FLOAT64:
                return (rs, i) -> {
                    double v = rs.getDouble(i);
                    return rs.wasNull() ? null : v;
                };
            case BOOLEAN:
                return (rs, i) -> {
                    boolean v = rs.getBoolean(i);
                    return rs.wasNull() ? null : v;
                };
            case DECIMAL:
                return ResultSet::getBigDecimal;
            case DATE:
                return (rs, i) -> rs.getObject(i, LocalDate.class);
            case TIME:
                return (rs, i) -> rs.getObject(i, LocalTime.class);
            case TIMESTAMP:
                return (rs, i) -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP_TZ:
                return (rs, i) -> {
                    OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
                    return v == null ? null : v.toInstant();
                };
            case UUID:
                return (rs, i) -> rs.getObject(i, UUID.class);
            case BYTES:
                return ResultSet::getBytes;
            default:
                // STRING, DECIMAL_TEXT, JSON: the text PostgreSQL sends (JSON columns are selected
                // through to_json, see PostgresChunkQueries#selectExpression)
                return ResultSet::getString;
        }
    }
}
