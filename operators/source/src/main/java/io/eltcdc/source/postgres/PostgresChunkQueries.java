package io.eltcdc.source.postgres;

import static io.eltcdc.model.SqlIdentifiers.quote;

import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
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
 * <p>Chunks are read with {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}: the server streams the
 * rows without waiting for the client to ask for each batch, in binary forms that cost little to
 * produce and to decode. COPY takes no parameters, so a chunk's bounds enter its query as literals
 * the server renders from the bound values ({@link PostgresServerLiterals}), in the same casts.
 *
 * <p>Ordinary tables are read {@code ONLY}: rows of tables inheriting from them belong to those
 * tables. Partitioned tables are read with their partitions.
 */
final class PostgresChunkQueries {
    private PostgresChunkQueries() {}

    /** {@code ONLY "s"."t"} for an ordinary table, {@code "s"."t"} for a partitioned one. */
    static String relation(TableId table, boolean partitioned) {
        return (partitioned ? "" : "ONLY ") + quote(table);
    }

    /** The select list of all columns, each as {@link #selectExpression} selects it. */
    static String selectColumns(TableSchema schema) {
        return schema.columns().stream()
                .map(PostgresChunkQueries::selectExpression)
                .collect(Collectors.joining(", "));
    }

    /**
     * A column as the chunk queries select it, in a form whose binary {@code COPY} output
     * {@link PgBinaryValueDecoder} decodes to the column type's value.
     *
     * <ul>
     *   <li>Numbers, booleans, dates and times, uuid, bytea, bounded numerics: the column itself.
     *   <li>JSON: arrays become JSON arrays through PostgreSQL's own {@code to_json}, which escapes
     *       strings, renders nested arrays as nested lists, keeps numeric digits exactly and writes
     *       timestamps in ISO form (in the session's UTC); json and jsonb pass through unchanged.
     *   <li>Text types (text, varchar, char(n), name): the column itself, their binary form being the
     *       characters.
     *   <li>Every other type read as text (interval, inet, money, enums, domains, citext, unbounded
     *       numerics…): its output function's text, which is what a text-mode query returns. Not
     *       {@code ::text}: some casts to text differ from the output ({@code inet}'s adds the
     *       netmask, {@code char(n)}'s drops trailing blanks). {@code format('%s', v)} calls the
     *       output function but turns NULL into an empty string, hence the {@code num_nulls} test
     *       (which, unlike {@code IS NULL}, does not call a composite value of NULL fields NULL).
     * </ul>
     */
    static String selectExpression(Column column) {
        String name = quote(column.name());
        return switch (column.type()) {
            case JSON -> "to_json(" + name + ")::text";
            case STRING -> isTextType(column.sourceType()) ? name : outputText(name);
            case DECIMAL_TEXT -> outputText(name);
            default -> name;
        };
    }

    /** {@code v}'s text form by its type's output function, NULL for NULL. */
    private static String outputText(String expression) {
        return "CASE WHEN num_nulls(" + expression + ") = 0 THEN format('%s', " + expression + ") END";
    }

    /**
     * Whether a column of this type (as {@code format_type} names it) is one of the built-in text
     * types, whose binary output is the text itself. A domain or a type of another schema named
     * like one would appear schema-qualified.
     */
    static boolean isTextType(String sourceType) {
        return sourceType.equals("text")
                || sourceType.equals("name")
                || sourceType.equals("bpchar")
                || sourceType.equals("character varying")
                || sourceType.startsWith("character varying(")
                || sourceType.equals("character")
                || sourceType.startsWith("character(");
    }

    /** {@code "a"} for a one-column key, {@code ("a", "b")} for a composite key. */
    static String keyTuple(TableSchema schema) {
        List<String> key = schema.keyColumns();
        return key.size() == 1 ? quote(key.get(0)) : "(" + SqlIdentifiers.list(key) + ")";
    }

    /** {@code CAST(? AS type)} per key column, as a tuple when the key is composite. */
    static String keyParameters(TableSchema schema) {
        return keyValues(schema, null);
    }

    /**
     * {@code CAST(value AS type)} per key column, as a tuple when the key is composite; the values
     * are SQL literals (see {@link PostgresServerLiterals}), or all {@code ?} when {@code literals} is null.
     */
    static String keyValues(TableSchema schema, String[] literals) {
        List<String> types = keyTypes(schema);
        StringBuilder tuple = new StringBuilder();
        for (int part = 0; part < types.size(); part++) {
            tuple.append(part == 0 ? "" : ", ")
                    .append("CAST(")
                    .append(literals == null ? "?" : literals[part])
                    .append(" AS ")
                    .append(types.get(part))
                    .append(')');
        }
        return types.size() == 1 ? tuple.toString() : "(" + tuple + ")";
    }

    /** The SQL type of each key column, in key order. */
    static List<String> keyTypes(TableSchema schema) {
        return schema.keyColumns().stream()
                .map(k -> schema.columns().get(schema.indexOf(k)).sourceType())
                .toList();
    }

    /** {@code ORDER BY} list of the key, ascending or descending. */
    static String keyOrder(TableSchema schema, boolean descending) {
        return schema.keyColumns().stream()
                .map(k -> quote(k) + (descending ? " DESC" : ""))
                .collect(Collectors.joining(", "));
    }

    /**
     * The rows of a KEY chunk, in key order: after the last emitted key if there is one, else after
     * the lower bound; up to and including the upper bound. The bounds are SQL literals, one per key
     * part (see {@link PostgresServerLiterals}), or null for none.
     */
    static String readKeyRange(TableSchema schema, boolean partitioned, String[] lower, String[] upper) {
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(selectColumns(schema))
                .append(" FROM ")
                .append(relation(schema.id(), partitioned));
        String key = keyTuple(schema);
        if (lower != null || upper != null) {
            sql.append(" WHERE ");
            if (lower != null) {
                sql.append(key).append(" > ").append(keyValues(schema, lower));
            }
            if (lower != null && upper != null) {
                sql.append(" AND ");
            }
            if (upper != null) {
                sql.append(key).append(" <= ").append(keyValues(schema, upper));
            }
        }
        return sql.append(" ORDER BY ").append(keyOrder(schema, false)).toString();
    }

    /**
     * The rows of a table without a usable key, in physical order, each preceded by its location:
     * {@code ctid}, or {@code tableoid:ctid} for a partitioned table (ctids repeat across
     * partitions). With {@code after}, only the rows after that location: its literals, the
     * {@link #rowLocationTypes} of a location as {@link #bindRowLocation} binds it. PostgreSQL 14+
     * serves {@code ctid > tid} with a TID range scan, so a restarted chunk does not re-read the rows
     * before.
     */
    static String readByRowLocation(TableSchema schema, boolean partitioned, String[] after) {
        String locator = partitioned ? "tableoid::text || ':' || ctid::text" : "ctid::text";
        String order = partitioned ? "tableoid, ctid" : "ctid";
        // The alias matters: an output column named "ctid" (as ctid::text would be) is what
        // ORDER BY ctid would sort by, in text order.
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(locator)
                .append(" AS elt_row_location, ")
                .append(selectColumns(schema))
                .append(" FROM ")
                .append(relation(schema.id(), partitioned));
        if (after != null) {
            sql.append(
                    partitioned
                            ? " WHERE (tableoid, ctid) > (CAST(" + after[0] + " AS oid), CAST(" + after[1] + " AS tid))"
                            : " WHERE ctid > CAST(" + after[0] + " AS tid)");
        }
        return sql.append(" ORDER BY ").append(order).toString();
    }

    /** The SQL types of the parameters {@link #bindRowLocation} binds. */
    static List<String> rowLocationTypes(boolean partitioned) {
        return partitioned ? List.of("oid", "tid") : List.of("tid");
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

    /** {@code query}'s rows as binary COPY data. */
    static String copyBinary(String query) {
        return "COPY (" + query + ") TO STDOUT (FORMAT binary)";
    }

    /**
     * The key of the row {@code chunkSize} rows after {@code lower} (or after the start), which
     * closes the next chunk: {@code SELECT key FROM t WHERE key > ? ORDER BY key LIMIT 1 OFFSET n-1}.
     * No row: fewer rows remain, the next chunk is the table's last.
     */
    static String nextBoundary(TableSchema schema, boolean partitioned, boolean hasLower, int chunkSize) {
        return "SELECT " + SqlIdentifiers.list(schema.keyColumns())
                + " FROM " + relation(schema.id(), partitioned)
                + (hasLower ? " WHERE " + keyTuple(schema) + " > " + keyParameters(schema) : "")
                + " ORDER BY " + keyOrder(schema, false)
                + " LIMIT 1 OFFSET " + (chunkSize - 1);
    }

    /** The smallest ({@code descending = false}) or largest key of the table. */
    static String edgeKey(TableSchema schema, boolean partitioned, boolean descending) {
        return "SELECT " + SqlIdentifiers.list(schema.keyColumns())
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
            ps.setNull(index, Types.OTHER);
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
}
