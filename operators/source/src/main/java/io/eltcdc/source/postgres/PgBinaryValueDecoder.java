package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Turns one non-null field of a binary {@code COPY} row into the Java class its column's
 * {@link ColumnType} prescribes. One decoder per column is chosen before a chunk is read, so rows
 * are decoded without a type switch each.
 *
 * <p>Each decoder expects the binary form of what {@link PostgresChunkQueries#selectExpression} selects for
 * the column: the column itself for the types decoded here, text for the others (see there). Values
 * come out equal to what pgjdbc's text parsing gave: same numbers, same decimal scale, same instants.
 * A field of an unexpected size (the column's type changed since the table was described) fails
 * with the column's name.
 */
@FunctionalInterface
interface PgBinaryValueDecoder {
    Object decode(byte[] buf, int offset, int length);

    /** The decoder of {@code column}'s values. */
    static PgBinaryValueDecoder of(Column column) {
        return switch (column.type()) {
            // int2 arrives in 2 bytes, int4 in 4: both are INT32
            case INT32 ->
                (buf, off, len) -> len == 2
                        ? Integer.valueOf(PgBinary.int16(buf, off))
                        : Integer.valueOf(PgBinary.int32(buf, checked(column, len, 4, off)));
            case INT64 -> (buf, off, len) -> PgBinary.int64(buf, checked(column, len, 8, off));
            case FLOAT32 -> (buf, off, len) -> Float.intBitsToFloat(PgBinary.int32(buf, checked(column, len, 4, off)));
            case FLOAT64 ->
                (buf, off, len) -> Double.longBitsToDouble(PgBinary.int64(buf, checked(column, len, 8, off)));
            case BOOLEAN -> (buf, off, len) -> buf[checked(column, len, 1, off)] != 0;
            case DECIMAL ->
                (buf, off, len) -> {
                    try {
                        return PgBinaryNumeric.decode(buf, off, len);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(
                                "column " + column.name() + " (" + column.sourceType() + "): " + e.getMessage(), e);
                    }
                };
            case DATE -> (buf, off, len) -> PgBinaryTime.date(buf, checked(column, len, 4, off));
            case TIME -> (buf, off, len) -> PgBinaryTime.time(buf, checked(column, len, 8, off));
            case TIMESTAMP -> (buf, off, len) -> PgBinaryTime.timestamp(buf, checked(column, len, 8, off));
            case TIMESTAMP_TZ -> (buf, off, len) -> PgBinaryTime.timestampTz(buf, checked(column, len, 8, off));
            case UUID ->
                (buf, off, len) -> {
                    int at = checked(column, len, 16, off);
                    return new UUID(PgBinary.int64(buf, at), PgBinary.int64(buf, at + 8));
                };
            case BYTES -> (buf, off, len) -> Arrays.copyOfRange(buf, off, off + len);
            // STRING, DECIMAL_TEXT, JSON: text, whose binary form is its UTF-8 bytes (the connection's encoding)
            default -> text();
        };
    }

    /** A text field (the binary form of text, varchar, bpchar, name is the characters). */
    static PgBinaryValueDecoder text() {
        return (buf, off, len) -> new String(buf, off, len, StandardCharsets.UTF_8);
    }

    /** {@code offset}, after checking that the field has the size of the column's binary type. */
    private static int checked(Column column, int length, int expected, int offset) {
        if (length != expected) {
            throw new IllegalStateException("column " + column.name() + " (" + column.sourceType() + ", read as "
                    + column.type() + ") has a binary value of " + length + " bytes, expected " + expected
                    + "; has the column's type changed?");
        }
        return offset;
    }
}
