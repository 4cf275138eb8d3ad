package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import java.sql.ResultSet;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MySQL column values, as {@link MySqlQueries#selectExpression} selects them, into their
 * {@link io.eltcdc.model.ColumnType}'s Java class. One reader per column, chosen before a chunk's
 * rows are read.
 *
 * <ul>
 *   <li>Numbers through the driver's typed getters (exact: decimals as {@code BigDecimal}, which
 *       also holds {@code bigint unsigned}); FLOAT columns arrive as doubles (see
 *       {@link MySqlQueries#selectExpression}) and are narrowed back to the float they hold.
 *   <li>Dates and times from the server's text ({@link MySqlTemporalText}): DATETIME as written,
 *       TIMESTAMP as the instant its UTC text denotes (the session's time zone is UTC, see
 *       {@link MySqlDialect#setUpSession}). The JVM's zone is never involved.
 *   <li>Zero dates read as NULL, with one warning per table and column; in a key column they stop
 *       the snapshot instead, because a NULL key bound back into a range query selects nothing.
 * </ul>
 */
final class MySqlColumnReaders {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlColumnReaders.class);

    /** Table and column of each zero-date warning logged so far in this JVM: one warning each. */
    private static final Set<String> ZERO_DATE_WARNED = ConcurrentHashMap.newKeySet();

    private MySqlColumnReaders() {}

    /** A reader per column of {@code schema}, in column order; key columns refuse zero dates. */
    static ColumnReader[] forRow(TableSchema schema) {
        ColumnReader[] readers = new ColumnReader[schema.columns().size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = of(schema.id(), schema.columns().get(i), isKey(schema, i));
        }
        return readers;
    }

    /** A reader per key column of {@code schema}, in key order. */
    static ColumnReader[] forKey(TableSchema schema) {
        ColumnReader[] readers = new ColumnReader[schema.keyColumns().size()];
        for (int part = 0; part < readers.length; part++) {
            readers[part] = of(schema.id(), schema.columns().get(schema.keyIndex(part)), true);
        }
        return readers;
    }

    private static boolean isKey(TableSchema schema, int columnIndex) {
        for (int index : schema.keyIndexes()) {
            if (index == columnIndex) {
                return true;
            }
        }
        return false;
    }

    static ColumnReader of(TableId table, Column column, boolean key) {
        String dataType = MySqlTypes.dataTypeOf(column.sourceType());
        switch (column.type()) {
            case INT32:
            case INT64:
            case FLOAT64:
            case DECIMAL:
            case BYTES:
                return ColumnReader.of(column.type()); // read as the PostgreSQL source reads them
            case FLOAT32:
                return (rs, i) -> {
                    double v = rs.getDouble(i); // the float widened exactly, see MySqlQueries#selectExpression
                    return rs.wasNull() ? null : (float) v;
                };
            case BOOLEAN:
                if (dataType.equals("bit")) {
                    return ColumnReader.of(ColumnType.BOOLEAN);
                }
                // tinyint(1): any number but 0 is true, as in MySQL's IF(v, …)
                return (rs, i) -> {
                    int v = rs.getInt(i);
                    return rs.wasNull() ? null : v != 0;
                };
            case UUID:
                return (rs, i) -> {
                    String v = rs.getString(i);
                    return v == null ? null : UUID.fromString(v);
                };
            case DATE:
                return temporal(table, column, key, MySqlTemporalText::date);
            case TIMESTAMP:
                return temporal(table, column, key, MySqlTemporalText::dateTime);
            case TIMESTAMP_TZ:
                return temporal(table, column, key, text -> {
                    LocalDateTime utc = MySqlTemporalText.dateTime(text);
                    return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
                });
            case TIME:
                return (rs, i) -> {
                    String text = rs.getString(i);
                    if (text == null) {
                        return null;
                    }
                    try {
                        return MySqlTemporalText.time(text);
                    } catch (MySqlTemporalText.NotATimeOfDay e) {
                        throw new SnapshotSourceException("Table " + MySqlIdentifiers.quote(table) + " column "
                                + MySqlIdentifiers.quote(column.name()) + " (" + column.sourceType()
                                + ") holds the TIME value '" + text + "', which is not a time of day: MySQL TIME"
                                + " also holds negative durations and durations of 24 hours or more. The pipeline"
                                + " carries TIME columns as times of day and stops rather than store another value."
                                + " Change the column's values or type (e.g. to a number of seconds), or leave the"
                                + " table out of the source's table patterns.");
                    }
                };
            default:
                // STRING (also enum, set, inet), JSON, DECIMAL_TEXT (exact digits): the text the server sends
                return ResultSet::getString;
        }
    }

    @FunctionalInterface
    private interface TextParser {
        Object parse(String text);
    }

    private static ColumnReader temporal(TableId table, Column column, boolean key, TextParser parser) {
        return (rs, i) -> {
            String text = rs.getString(i);
            if (text == null) {
                return null;
            }
            Object value;
            try {
                value = parser.parse(text);
            } catch (DateTimeException e) {
                throw new SnapshotSourceException(
                        "Table " + MySqlIdentifiers.quote(table) + " column "
                                + MySqlIdentifiers.quote(column.name()) + " (" + column.sourceType() + ") holds '"
                                + text
                                + "', which is not a valid " + column.type() + " value: " + e.getMessage(),
                        e);
            }
            if (value == null) {
                zeroDate(table, column, key, text);
            }
            return value;
        };
    }

    private static void zeroDate(TableId table, Column column, boolean key, String text) {
        if (key) {
            throw new SnapshotSourceException("Table " + MySqlIdentifiers.quote(table) + " key column "
                    + MySqlIdentifiers.quote(column.name()) + " holds the zero date '" + text + "', which is no"
                    + " date: rows are chunked and merged by their key, so a key value must be a real date."
                    + " Fix the rows, or name other key columns under source.primary-keys.");
        }
        if (ZERO_DATE_WARNED.add(table + "\u0000" + column.name())) {
            LOG.warn(
                    "Table {} column {} ({}) holds zero dates such as '{}', which are no date: they are read as"
                            + " NULL (this is logged once per column).",
                    table,
                    column.name(),
                    column.sourceType(),
                    text);
        }
    }
}
