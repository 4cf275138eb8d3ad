package io.eltcdc.source.mysql;

import static io.eltcdc.source.mysql.MySqlIdentifiers.quote;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL the snapshot source runs against a MySQL or MariaDB table, and the binding of key values
 * to it.
 *
 * <p><b>Key ranges.</b> A composite key's range is written out column by column,
 * {@code a > ? OR (a = ? AND b > ?)}, which the range optimizer of every MySQL and MariaDB version
 * turns into index ranges (row constructors, {@code (a, b) > (?, ?)}, are not optimized before
 * MySQL 8). The comparisons are the server's, in each column's type and collation, the same as its
 * {@code ORDER BY}: under a case- and accent-insensitive collation 'a', 'A' and 'a ' (PAD SPACE) are
 * one value to the boundary query, the range conditions and the ordering alike, so every row falls
 * in exactly one chunk. Keys are therefore never compared or sorted in Java, and each bound is the
 * value read from the table, bound back as a parameter of the column's kind ({@link #bindValue}).
 *
 * <p><b>Parameters</b> are rendered into the statement by the driver (client-side prepared
 * statements): numbers as numeric literals, so DECIMAL keys compare exactly (a string literal would
 * be compared as a double); dates and times as text in {@code CAST(? AS DATETIME(6))} and the like,
 * so they are compared as temporal values of the session's time zone (UTC), never as strings.
 */
final class MySqlQueries {
    private MySqlQueries() {}

    static String table(TableSchema schema) {
        return quote(schema.id());
    }

    /**
     * A column as the chunk queries select it, for {@link MySqlColumnReaders}.
     *
     * <ul>
     *   <li>FLOAT: {@code col * 1e0}, a DOUBLE holding the float exactly. The text protocol sends a
     *       FLOAT with six significant digits ({@code 1.23457} for 1.2345678), which is not the float
     *       stored; a DOUBLE is sent with all the digits it needs to read back the same.
     *   <li>TIME: {@code CAST(col AS CHAR)}, the server's own text: the driver's rendering of a TIME
     *       drops the sign of values between -1 s and 0 ({@code -00:00:00.5}).
     *   <li>Anything else: the column itself.
     * </ul>
     */
    static String selectExpression(Column column) {
        String name = quote(column.name());
        return switch (column.type()) {
            case FLOAT32 -> "(" + name + " * 1e0)";
            case TIME -> "CAST(" + name + " AS CHAR)";
            default -> name;
        };
    }

    static String selectColumns(TableSchema schema) {
        return schema.columns().stream().map(MySqlQueries::selectExpression).collect(Collectors.joining(", "));
    }

    /** The key columns' select expressions, in key order. */
    static String selectKey(TableSchema schema) {
        return keyColumns(schema).stream().map(MySqlQueries::selectExpression).collect(Collectors.joining(", "));
    }

    /** {@code ORDER BY} list of the key, ascending or descending: the columns themselves, not their select forms. */
    static String keyOrder(TableSchema schema, boolean descending) {
        return schema.keyColumns().stream()
                .map(k -> quote(k) + (descending ? " DESC" : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * A condition on the key and, per {@code ?} in order, the key part it takes: the same key value
     * is bound to several parameters of a composite key's condition.
     */
    record KeyCondition(String sql, int[] parts) {
        /** Binds {@code key} from parameter {@code index} on; returns the next parameter index. */
        int bind(PreparedStatement ps, int index, TableSchema schema, Object[] key) throws SQLException {
            for (int part : parts) {
                bindValue(ps, index++, schema.columns().get(schema.keyIndex(part)), key[part]);
            }
            return index;
        }
    }

    /** Rows whose key is greater than the bound key: {@code a > ? OR (a = ? AND b > ?)}. */
    static KeyCondition after(TableSchema schema) {
        return lexicographic(schema, ">", ">");
    }

    /** Rows whose key is at most the bound key: {@code a < ? OR (a = ? AND b <= ?)}. */
    static KeyCondition atMost(TableSchema schema) {
        return lexicographic(schema, "<", "<=");
    }

    /**
     * {@code k1 op ? OR (k1 = ? AND (k2 op ? OR (k2 = ? AND … kn last ?)))}: the key compared in
     * {@code ORDER BY k1, …, kn} order, column by column.
     */
    private static KeyCondition lexicographic(TableSchema schema, String op, String last) {
        List<Column> key = keyColumns(schema);
        List<Integer> parts = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        int n = key.size();
        for (int part = 0; part < n; part++) {
            String column = quote(key.get(part).name());
            String parameter = parameter(key.get(part));
            if (part == n - 1) {
                sql.append(column).append(' ').append(last).append(' ').append(parameter);
                parts.add(part);
            } else {
                sql.append('(')
                        .append(column)
                        .append(' ')
                        .append(op)
                        .append(' ')
                        .append(parameter)
                        .append(" OR (")
                        .append(column)
                        .append(" = ")
                        .append(parameter)
                        .append(" AND ");
                parts.add(part);
                parts.add(part);
            }
        }
        sql.append(")".repeat(2 * (n - 1)));
        return new KeyCondition(
                sql.toString(), parts.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The placeholder of a key value compared with {@code column}: temporal values are bound as text
     * and cast to the column's kind, so the comparison is temporal; MariaDB's uuid and inet types
     * likewise. Anything else is bound as a value of the column's class.
     */
    static String parameter(Column column) {
        String dataType = MySqlTypes.dataTypeOf(column.sourceType());
        return switch (column.type()) {
            case DATE -> "CAST(? AS DATE)";
            case TIME -> "CAST(? AS TIME(6))";
            // TIMESTAMP columns compare with a DATETIME in the session's zone (UTC): the order of their instants
            case TIMESTAMP, TIMESTAMP_TZ -> "CAST(? AS DATETIME(6))";
            case UUID -> "CAST(? AS UUID)";
            default -> dataType.equals("inet4") || dataType.equals("inet6") ? "CAST(? AS " + dataType + ")" : "?";
        };
    }

    /**
     * The rows of a key chunk in key order: above the exclusive lower bound (or the last emitted key)
     * when {@code hasLower}, up to the inclusive upper bound when {@code hasUpper}. Parameters: the
     * {@link #after} condition's, then the {@link #atMost} condition's.
     */
    static String readKeyRange(TableSchema schema, boolean hasLower, boolean hasUpper) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(selectColumns(schema))
                .append(" FROM ")
                .append(table(schema));
        if (hasLower || hasUpper) {
            sql.append(" WHERE ");
            if (hasLower) {
                sql.append('(').append(after(schema).sql()).append(')');
            }
            if (hasLower && hasUpper) {
                sql.append(" AND ");
            }
            if (hasUpper) {
                sql.append('(').append(atMost(schema).sql()).append(')');
            }
        }
        return sql.append(" ORDER BY ").append(keyOrder(schema, false)).toString();
    }

    /**
     * Every row of a table without a usable key, in whatever order the server scans it: MySQL has no
     * stable row location to order or resume by (see {@link MySqlChunkReader}).
     */
    static String readAll(TableSchema schema) {
        return "SELECT " + selectColumns(schema) + " FROM " + table(schema);
    }

    /**
     * The key of the row {@code chunkSize} rows after the lower bound (parameters: the {@link #after}
     * condition's) or after the start; no row when fewer rows remain.
     */
    static String nextBoundary(TableSchema schema, boolean hasLower, int chunkSize) {
        return "SELECT " + selectKey(schema) + " FROM " + table(schema)
                + (hasLower ? " WHERE " + after(schema).sql() : "")
                + " ORDER BY " + keyOrder(schema, false)
                + " LIMIT 1 OFFSET " + (chunkSize - 1);
    }

    /** The smallest ({@code descending = false}) or largest key of the table. */
    static String edgeKey(TableSchema schema, boolean descending) {
        return "SELECT " + selectKey(schema) + " FROM " + table(schema) + " ORDER BY " + keyOrder(schema, descending)
                + " LIMIT 1";
    }

    static String count(TableSchema schema) {
        return "SELECT COUNT(*) FROM " + table(schema);
    }

    /** Whether a row has NULL in a key column (rows no key range can select). */
    static String anyNullKey(TableSchema schema) {
        return "SELECT EXISTS (SELECT 1 FROM " + table(schema) + " WHERE "
                + schema.keyColumns().stream().map(k -> quote(k) + " IS NULL").collect(Collectors.joining(" OR "))
                + ")";
    }

    /** Binds a (non-null) key value as its {@link #parameter} placeholder expects it. */
    static void bindValue(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (column.type()) {
            case INT32 -> ps.setInt(index, (Integer) value);
            case INT64 -> ps.setLong(index, (Long) value);
            // a FLOAT column compares as a double: the float's exact double value matches it exactly
            case FLOAT32 -> ps.setDouble(index, (Float) value);
            case FLOAT64 -> ps.setDouble(index, (Double) value);
            case BOOLEAN -> ps.setInt(index, (Boolean) value ? 1 : 0);
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case DECIMAL_TEXT -> ps.setBigDecimal(index, new BigDecimal((String) value));
            case DATE -> ps.setString(index, MySqlTemporalText.format((LocalDate) value));
            case TIME -> ps.setString(index, MySqlTemporalText.format((LocalTime) value));
            case TIMESTAMP -> ps.setString(index, MySqlTemporalText.format((LocalDateTime) value));
            case TIMESTAMP_TZ ->
                ps.setString(index, MySqlTemporalText.format(LocalDateTime.ofInstant((Instant) value, ZoneOffset.UTC)));
            case BYTES -> {
                if (MySqlTypes.dataTypeOf(column.sourceType()).equals("bit")) {
                    // a BIT column compares as an unsigned number, not as a binary string
                    ps.setBigDecimal(index, new BigDecimal(new BigInteger(1, (byte[]) value)));
                } else {
                    ps.setBytes(index, (byte[]) value);
                }
            }
            default -> ps.setString(index, value.toString()); // STRING, UUID (JSON keys are not chunked)
        }
    }

    private static List<Column> keyColumns(TableSchema schema) {
        List<Column> key = new ArrayList<>(schema.keyColumns().size());
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            key.add(schema.columns().get(schema.keyIndex(part)));
        }
        return key;
    }
}
