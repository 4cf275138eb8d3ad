package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.model.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.avro.Schema;

/**
 * How a column's value travels from a staged file into its Snowflake column: its form in the load
 * file ({@link #loadType}, {@link #loadValue}), which COPY puts into a VARIANT column as it is, and
 * the SQL that converts that VARIANT into the column's type ({@link SnowflakeSql#typeOf}, {@link #of}).
 *
 * <p>Snowflake documents neither Avro logical types for COPY (its Avro file format has no option
 * like Parquet's {@code USE_LOGICAL_TYPE}) nor how its Avro reader turns a {@code decimal} or
 * {@code bytes} into a VARIANT: a decimal read as a double would round a position above 2^53, and
 * two updates of a key would collide on it (the merge keeps the highest position, so one of them
 * would be lost without a trace). So load files carry only what converts exactly by documented
 * casts:
 * <ul>
 *   <li>numbers a double cannot hold exactly travel as decimal text, cast with
 *       {@code ::VARCHAR::NUMBER(p,s)}: {@code _elt_position}, decimals, 64-bit integers, and times
 *       and timestamps (microseconds);
 *   <li>bytes travel as hexadecimal text ({@code TO_BINARY(…, 'HEX')});
 *   <li>32-bit integers and dates (days since 1970-01-01) as Avro {@code int}; floats, doubles,
 *       booleans and text as themselves; no logical types.
 * </ul>
 */
final class AvroVariantValues {
    private AvroVariantValues() {}

    /** The Avro type of {@code column}'s field in a load file (the field is a union of it with null). */
    static Schema loadType(Column column) {
        return Schema.create(
                switch (column.type()) {
                    case INT32, DATE -> Schema.Type.INT;
                    case FLOAT32 -> Schema.Type.FLOAT;
                    case FLOAT64 -> Schema.Type.DOUBLE;
                    case BOOLEAN -> Schema.Type.BOOLEAN;
                    case INT64, TIME, TIMESTAMP, TIMESTAMP_TZ, DECIMAL, BYTES, DECIMAL_TEXT, STRING, UUID, JSON ->
                        Schema.Type.STRING;
                });
    }

    /**
     * The current row's value of {@code column} (index {@code index} of {@code file}'s columns, not
     * NULL) in the load file's form ({@link #loadType}).
     */
    static Object loadValue(Column column, StagedFileReader file, int index) {
        return switch (column.type()) {
            case INT32, DATE -> file.intValue(index);
            case FLOAT32 -> file.floatValue(index);
            case FLOAT64 -> file.doubleValue(index);
            case BOOLEAN -> file.booleanValue(index);
            case INT64, TIME, TIMESTAMP, TIMESTAMP_TZ -> Long.toString(file.longValue(index));
            case DECIMAL -> new BigDecimal(new BigInteger(bytes(file.bytes(index))), column.scale()).toPlainString();
            case BYTES -> HexFormat.of().formatHex(bytes(file.bytes(index)));
            case DECIMAL_TEXT, STRING, UUID, JSON -> file.text(index);
        };
    }

    /** The current row's {@code _elt_position} in the load file's form: its decimal digits. */
    static String loadPosition(StagedFileReader file) {
        return file.position().toString();
    }

    /** The SQL expression of {@code column}'s value in the VARIANT expression {@code v}. */
    static String of(Column column, String v) {
        String type = SnowflakeSql.typeOf(column);
        return switch (column.type()) {
            case INT32, BOOLEAN -> v + "::" + type;
            case INT64 -> exactNumber(v, type);
            case DECIMAL -> type.equals("VARCHAR") ? v + "::VARCHAR" : exactNumber(v, type);
            case FLOAT32, FLOAT64 -> v + "::FLOAT";
            case DECIMAL_TEXT, STRING, UUID -> v + "::VARCHAR";
            case JSON -> "PARSE_JSON(" + v + "::VARCHAR)";
            case DATE -> "DATEADD(DAY, " + v + "::NUMBER(10,0), '1970-01-01'::DATE)";
            case TIME -> "TIMEADD(MICROSECOND, " + exactNumber(v, "NUMBER(19,0)") + ", '00:00:00'::TIME(6))";
            case TIMESTAMP -> "TO_TIMESTAMP_NTZ(" + exactNumber(v, "NUMBER(19,0)") + ", 6)";
            case TIMESTAMP_TZ -> "TO_TIMESTAMP_TZ(" + exactNumber(v, "NUMBER(19,0)") + ", 6)";
            case BYTES -> "TO_BINARY(" + v + "::VARCHAR, 'HEX')";
        };
    }

    /** {@code _elt_position}: decimal text in the load file, an exact 38-digit integer in SQL. */
    static String position(String v) {
        return exactNumber(v, "NUMBER(38,0)");
    }

    /** {@code _elt_op}: a string. */
    static String op(String v) {
        return v + "::VARCHAR";
    }

    /** Decimal text in the VARIANT {@code v} as the NUMBER {@code type}: a string-to-number cast, exact. */
    private static String exactNumber(String v, String type) {
        return v + "::VARCHAR::" + type;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
