package io.eltcdc.destination.snowflake;

import io.eltcdc.model.Column;

/**
 * Turns a staged Avro field, as COPY loaded it into a VARIANT column, into the value of the
 * Snowflake column type ({@link SnowflakeSql#typeOf}).
 *
 * <p>Snowflake's Avro reader decodes the {@code decimal} logical type into an exact number, but
 * leaves {@code date}, {@code time-micros}, {@code timestamp-micros} and
 * {@code local-timestamp-micros} as the plain int or long they are stored as (casting those
 * numbers to a date or timestamp would guess their unit from their size). So dates are days and
 * times and timestamps are microseconds, converted exactly here; should a reader ever hand them
 * over decoded, the non-integer branch casts them as they are. Bytes come as hexadecimal text.
 */
final class AvroVariantValues {
    private AvroVariantValues() {}

    /** The SQL expression of {@code column}'s value in the VARIANT expression {@code v}. */
    static String of(Column column, String v) {
        String type = SnowflakeSql.typeOf(column);
        return switch (column.type()) {
            case INT32, INT64, BOOLEAN, DECIMAL -> v + "::" + type;
            case FLOAT32, FLOAT64 -> v + "::FLOAT";
            case DECIMAL_TEXT, STRING, UUID -> v + "::VARCHAR";
            case JSON -> "PARSE_JSON(" + v + "::VARCHAR)";
            case DATE ->
                "IFF(IS_INTEGER(" + v + "), DATEADD(DAY, " + v + "::NUMBER(10,0), '1970-01-01'::DATE), " + v
                        + "::DATE)";
            case TIME ->
                "IFF(IS_INTEGER(" + v + "), TIMEADD(MICROSECOND, " + v + "::NUMBER(19,0), '00:00:00'::TIME(6)), " + v
                        + "::TIME(6))";
            case TIMESTAMP ->
                "IFF(IS_INTEGER(" + v + "), TO_TIMESTAMP_NTZ(" + v + "::NUMBER(19,0), 6), " + v + "::TIMESTAMP_NTZ(6))";
            case TIMESTAMP_TZ ->
                "IFF(IS_INTEGER(" + v + "), TO_TIMESTAMP_TZ(" + v + "::NUMBER(19,0), 6), " + v + "::TIMESTAMP_TZ(6))";
            case BYTES -> "TO_BINARY(" + v + "::VARCHAR, 'HEX')";
        };
    }

    /** {@code _elt_position}: Avro {@code decimal(38,0)} bytes, decoded by the reader into an exact number. */
    static String position(String v) {
        return v + "::NUMBER(38,0)";
    }

    /** {@code _elt_op}: a string. */
    static String op(String v) {
        return v + "::VARCHAR";
    }
}
