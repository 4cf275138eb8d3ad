package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.SqlIdentifiers.quote;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL the snapshot source runs against a table, and the binding of key values to it.
 *
 * <p>Key ranges use PostgreSQL's row-value comparison, {@code (a, b) > (x, y)}, which orders like
 * {@code ORDER BY a, b} and can use the key's index. Each key parameter is cast to the column's own
 * type ({@code CAST(? AS <format_type>)}), so comparisons follow the column's type and collation
 * whatever Java type the value is bound as (a text-form value, an enum label, a varchar(20)…).
 *
 * <p>Ordinary tables are read {@code ONLY}: rows of tables inheriting from them belong to those
 * tables. Partitioned tables are read with their partitions.
 */
final class ChunkQueries {
    private ChunkQueries() {}

    /** {@code ONLY "s"."t"} for an ordinary table, {@code "s"."t"} for a partitioned one. */
    static String relation(TableId table, boolean partitioned) {
        return (partitioned ? "" : "ONLY ") + quote(table);
    }

    /** The select list of all columns; JSON columns (json, jsonb, arrays) as JSON text. */
    static String selectColumns(TableSchema schema) {
        return schema.columns().stream().map(ChunkQueries::selectExpression).collect(Collectors.joining(", "));
    }

    /**
     * A column as selected. Arrays become JSON arrays through PostgreSQL's own {@code to_json}: it
     * escapes strings, renders nested arrays as nested lists, keeps numeric digits exactly and writes
     * timestamps in ISO form (in the session's UTC); json and jsonb pass through unchanged.
     */
    static String selectExpression(Column column) {
        return switch (column.type()) {
            case JSON -> "to_json(" + quote(column.name()) + ")::text";
            default -> quote(column.name());
        };
    }

    /** {@code "a"} for a one-column key, {@code ("a", "b")} for a composite key. */
    static String keyTuple(TableSchema schema) {
        List<String> key = schema.keyColumns();
        return key.size() == 1 ? quote(key.get(0)) : "(" + SqlIdentifiers.quoteAll(key) + ")";
    }

    /** {@code CAST(? AS type)} per key column, as a tuple when the key is composite. */
    static String keyParameters(TableSchema schema) {
        String casts = schema.keyColumns().stream()
                .map(k -> "CAST(? AS " + schema.columns().get(schema.indexOf(k)).sourceType() + ")")
                .collect(Collectors.joining(", "));
        return schema.keyColumns().size() == 1 ? casts : "(" + casts + ")";
    }

    /** {@code ORDER BY} list of the key, ascending or descending. */
    static String keyOrder(TableSchema schema, boolean descending) {
        return schema.keyColumns().stream()
                .map(k -> quote(k) + (descending ? " DESC" : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * The rows of a KEY chunk, in key order: after the last emitted key if there is one, else after
     * the lower bound; up to and including the upper bound. Parameters: the lower key (if any),
     * then the upper key (if any).
     */
    static String readKeyRange(TableSchema schema, boolean partitioned, boolean hasLower, boolean hasUpper) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectColumns(schema))
                .append(" FROM ").append(relation(schema.id(), partitioned));
        String key = keyTuple(schema);
        if (hasLower || hasUpper) {
            sql.append(" WHERE ");
            if (hasLower) {
                sql.append(key).append(" > ").append(keyParameters(schema));
            }
            if (hasLower && hasUpper) {
                sql.append(" AND ");
            }
            if (hasUpper) {
                sql.append(key).append(" <= ").append(keyParameters(schema));
            }
        }
        return sql.append(" ORDER BY ").append(keyOrder(schema, false)).toString();
    }

    /**
     * The rows of a table without a usable key, in physical order, each preceded by its location:
     * {@code ctid}, or {@code tableoid:ctid} for a partitioned table (ctids repeat across
     * partitions). With {@code afterLocation}, only the rows after that location (one parameter,
     * the location text, bound by {@link #bindRowLocation}); PostgreSQL 14+ serves
     * {@code ctid > tid} with a TID range scan, so a restarted chunk does not re-read the rows before.
     */
    static String readByRowLocation(TableSchema schema, boolean partitioned, boolean afterLocation) {
        String locator = partitioned ? "tableoid::text || ':' || ctid::text" : "ctid::text";
        String order = partitioned ? "tableoid, ctid" : "ctid";
        // The alias matters: an output column named "ctid" (as ctid::text would be) is what
        // ORDER BY ctid would sort by, in text order.
        StringBuilder sql = new StringBuilder("SELECT ").append(locator).append(" AS elt_row_location, ")
                .append(selectColumns(schema)).append(" FROM ").append(relation(schema.id(), partitioned));
        if (afterLocation) {
            sql.append(partitioned
                    ? " WHERE (tableoid, ctid) > (CAST(? AS oid), CAST(? AS tid))"
                    : " WHERE ctid > CAST(? AS tid)");
        }
        return sql.append(" ORDER BY ").append(order).toString();
    }

    /** Binds a location read by {@link #readByRowLocation}; returns the next parameter index. */
    static int bindRowLocation(PreparedStatement ps, int index, boolean partitioned, String location)
            throws SQLException {
        if (!partitioned) {
            ps.setString(index, location);
            return index + 1;
        }
        int colon = location.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("row location '" + location + "' is not of the form tableoid:ctid");
        }
        ps.setString(index, location.substring(0, colon));
        ps.setString(index + 1, location.substring(colon + 1));
        return index + 2;
    }

    /**
     * The key of the row {@code chunkSize} rows after {@code lower} (or after the start), which
     * closes the next chunk: {@code SELECT key FROM t WHERE key > ? ORDER BY key LIMIT 1 OFFSET n-1}.
     * No row: fewer rows remain, the next chunk is the table's last.
     */
    static String nextBoundary(TableSchema schema, boolean partitioned, boolean hasLower, int chunkSize) {
        return "SELECT " + SqlIdentifiers.quoteAll(schema.keyColumns())
                + " FROM " + relation(schema.id(), partitioned)
                + (hasLower ? " WHERE " + keyTuple(schema) + " > " + keyParameters(schema) : "")
                + " ORDER BY " + keyOrder(schema, false)
                + " LIMIT 1 OFFSET " + (chunkSize - 1);
    }

    /** The smallest ({@code descending = false}) or largest key of the table. */
    static String edgeKey(TableSchema schema, boolean partitioned, boolean descending) {
        return "SELECT " + SqlIdentifiers.quoteAll(schema.keyColumns())
                + " FROM " + relation(schema.id(), partitioned)
                + " ORDER BY " + keyOrder(schema, descending) + " LIMIT 1";
    }

    static String count(TableSchema schema, boolean partitioned) {
        return "SELECT count(*) FROM " + relation(schema.id(), partitioned);
    }

    /** Whether a row has NULL in a key column (rows no key range can select). */
    static String anyNullKey(TableSchema schema, boolean partitioned) {
        return "SELECT EXISTS (SELECT 1 FROM " + relation(schema.id(), partitioned) + " WHERE "
                + schema.keyColumns().stream().map(k -> quote(k) + " IS NULL").collect(Collectors.joining(" OR "))
                + ")";
    }

    /**
     * Binds a key value (one value per key column) from parameter {@code index} on, each as its
     * column type's natural JDBC type; returns the next parameter index.
     */
    static int bindKey(PreparedStatement ps, int index, TableSchema schema, Object[] key) throws SQLException {
        for (int part = 0; part < key.length; part++) {
            Column column = schema.columns().get(schema.keyIndex(part));
            bindValue(ps, index + part, column, key[part]);
        }
        return index + key.length;
    }

    private static void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.OTHER);
            return;
        }
        switch (column.type()) {
            case INT32 -> ps.setInt(index, (Integer) value);
            case INT64 -> ps.setLong(index, (Long) value);
            case FLOAT32 -> ps.setFloat(index, (Float) value);
            case FLOAT64 -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case DATE, TIME, TIMESTAMP, UUID -> ps.setObject(index, value);
            case TIMESTAMP_TZ -> ps.setObject(index, ((Instant) value).atOffset(ZoneOffset.UTC));
            case BYTES -> ps.setBytes(index, (byte[]) value);
            default -> ps.setString(index, (String) value);
        }
    }

    /** The key parts of a row's values, in key order. */
    static Object[] keyOf(TableSchema schema, Object[] values) {
        Object[] key = new Object[schema.keyColumns().size()];
        for (int part = 0; part < key.length; part++) {
            key[part] = values[schema.keyIndex(part)];
        }
        return key;
    }
}
