package io.eltcdc.destination.redshift;

import io.eltcdc.model.Column;
import org.apache.avro.Schema;

/**
 * The types of one column on its way into Redshift, for every {@link io.eltcdc.model.ColumnType}:
 * <ul>
 *   <li>the target (and staging) column's SQL type ({@link #columnType});
 *   <li>how the value travels in the load file and the raw table COPY fills: Avro int, long, float,
 *       double and boolean as themselves, everything else as text ({@link #avroType},
 *       {@link #rawType});
 *   <li>the SQL expression that turns the raw value into the target type ({@link #fromRaw}).
 * </ul>
 * Values travel as text because COPY from Avro ignores Avro's logical types (decimal, date,
 * timestamp) and loads Avro bytes as their JSON form; text casts are exact and plain SQL.
 */
public final class RedshiftTypes {
    /** VARCHAR's limit, in bytes of UTF-8. */
    public static final int MAX_VARCHAR_BYTES = 65535;
    /** The longest byte string that travels as hex text in a VARCHAR. */
    public static final int MAX_BYTES = MAX_VARCHAR_BYTES / 2;
    /** Redshift's largest NUMERIC precision. */
    static final int MAX_PRECISION = 38;

    static final String TEXT = "VARCHAR(" + MAX_VARCHAR_BYTES + ")";

    private RedshiftTypes() {}

    /** The column's type in target and staging tables. */
    public static String columnType(Column column) {
        return switch (column.type()) {
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "REAL";
            case FLOAT64 -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case DECIMAL ->
                boundedDecimal(column) ? "NUMERIC(" + column.precision() + "," + column.scale() + ")" : TEXT;
            // No unbounded NUMERIC in Redshift: exact text, as the source sent it, never rounded.
            case DECIMAL_TEXT, STRING, JSON -> TEXT;
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case UUID -> "VARCHAR(36)";
            case BYTES -> "VARBYTE(" + MAX_VARCHAR_BYTES + ")";
        };
    }

    /** The column's type in the raw table that COPY fills from the load files. */
    static String rawType(Column column) {
        return switch (column.type()) {
            case INT32, INT64, FLOAT32, FLOAT64, BOOLEAN -> columnType(column);
            case DECIMAL -> boundedDecimal(column) ? "VARCHAR(64)" : TEXT;
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> "VARCHAR(40)";
            case UUID -> "VARCHAR(36)";
            case DECIMAL_TEXT, STRING, JSON, BYTES -> TEXT;
        };
    }

    /** The Avro type of the column's field in the load file (a union with null). */
    static Schema avroType(Column column) {
        Schema.Type type = switch (column.type()) {
            case INT32 -> Schema.Type.INT;
            case INT64 -> Schema.Type.LONG;
            case FLOAT32 -> Schema.Type.FLOAT;
            case FLOAT64 -> Schema.Type.DOUBLE;
            case BOOLEAN -> Schema.Type.BOOLEAN;
            default -> Schema.Type.STRING;
        };
        return Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(type));
    }

    /** The SQL expression of the target-typed value of {@code raw}, an expression of {@link #rawType}. */
    static String fromRaw(Column column, String raw) {
        return switch (column.type()) {
            case DECIMAL -> boundedDecimal(column) ? "CAST(" + raw + " AS " + columnType(column) + ")" : raw;
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> "CAST(" + raw + " AS " + columnType(column) + ")";
            case BYTES -> "TO_VARBYTE(" + raw + ", 'hex')";
            default -> raw;
        };
    }

    /** Whether values of {@code column} are text that may be longer than Redshift takes. */
    static boolean isLongText(Column column) {
        return switch (column.type()) {
            case DECIMAL_TEXT, STRING, JSON -> true;
            case DECIMAL -> !boundedDecimal(column);
            default -> false;
        };
    }

    /** A DECIMAL Redshift's NUMERIC(p,s) holds: precision 1 to 38, scale 0 to precision. */
    static boolean boundedDecimal(Column column) {
        return column.precision() >= 1
                && column.precision() <= MAX_PRECISION
                && column.scale() >= 0
                && column.scale() <= column.precision();
    }
}
