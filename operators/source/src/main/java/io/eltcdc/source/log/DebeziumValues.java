package io.eltcdc.source.log;

import io.eltcdc.model.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns a Debezium field value into the Java value of its column's type, the same value the
 * snapshot reads for that row. The sources run with {@code decimal.handling.mode=string} and
 * {@code time.precision.mode=adaptive_time_microseconds}; the conversions accept the other forms
 * Debezium may produce too (a {@link BigDecimal}, a variable-scale struct, milli/nano times).
 *
 * <p>Times are never shifted: Debezium gives wall-clock dates and timestamps as epoch-based numbers
 * in UTC and instants as ISO text with an offset.
 */
final class DebeziumValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DebeziumValues() {}

    static Object convert(Column column, Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        String logical = schema == null ? null : schema.name();
        return switch (column.type()) {
            case INT32 -> exactInt(value, column);
            case INT64 -> exactLong(value, column);
            case FLOAT32 -> ((Number) value).floatValue();
            case FLOAT64 -> ((Number) value).doubleValue();
            case BOOLEAN -> toBoolean(value);
            case DECIMAL -> toDecimal(value).setScale(column.scale(), RoundingMode.UNNECESSARY);
            case DECIMAL_TEXT ->
                value instanceof String s ? s : toDecimal(value).toPlainString();
            case STRING -> value instanceof String s ? s : String.valueOf(value);
            case DATE -> toDate(value);
            case TIME -> toTime(value, logical, column);
            case TIMESTAMP -> toTimestamp(value, logical);
            case TIMESTAMP_TZ -> toInstant(value);
            case UUID -> UUID.fromString((String) value);
            case JSON -> value instanceof String s ? s : toJson(value);
            case BYTES -> toBytes(value, logical);
        };
    }

    /**
     * Never narrows silently: a value that does not fit means the column's type was widened in the
     * source (e.g. integer to bigint), which the pipeline does not follow yet.
     */
    private static int exactInt(Object value, Column column) {
        long v = exactLong(value, column);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw typeChanged(column, value);
        }
        return (int) v;
    }

    private static long exactLong(Object value, Column column) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return toDecimal(value).longValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw typeChanged(column, value);
        }
    }

    private static IllegalArgumentException typeChanged(Column column, Object value) {
        return new IllegalArgumentException("the value " + value + " does not fit the column's type "
                + column.sourceType() + ": was the column's type changed in the source? Such a change is not"
                + " followed yet; re-sync the table");
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0; // MySQL tinyint(1)
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            byte[] bits = bytes(value);
            return bits.length > 0 && bits[0] != 0;
        }
        throw unexpected(value, "a boolean");
    }

    private static BigDecimal toDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof String s) {
            return new BigDecimal(s);
        }
        if (value instanceof Struct s && s.schema().field("scale") != null) { // io.debezium.data.VariableScaleDecimal
            return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        throw unexpected(value, "a decimal");
    }

    private static LocalDate toDate(Object value) {
        if (value instanceof Number days) { // io.debezium.time.Date
            return LocalDate.ofEpochDay(days.longValue());
        }
        if (value instanceof Date d) { // org.apache.kafka.connect.data.Date
            return LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L));
        }
        throw unexpected(value, "a date");
    }

    private static LocalTime toTime(Object value, String logical, Column column) {
        long nanos;
        if (value instanceof Date d) {
            nanos = d.getTime() * 1_000_000L;
        } else if ("io.debezium.time.Time".equals(logical)) {
            nanos = ((Number) value).longValue() * 1_000_000L;
        } else if ("io.debezium.time.NanoTime".equals(logical)) {
            nanos = ((Number) value).longValue();
        } else {
            nanos = ((Number) value).longValue() * 1_000L; // io.debezium.time.MicroTime
        }
        if (nanos < 0 || nanos >= 86_400_000_000_000L) {
            // MySQL's TIME is an interval (-838:59:59 to 838:59:59), not always a time of day.
            throw new IllegalArgumentException("column " + column.name() + " holds the time " + nanos / 1_000
                    + " µs, outside a day (00:00 to 24:00), which the pipeline cannot carry as a time of day");
        }
        return LocalTime.ofNanoOfDay(nanos);
    }

    private static LocalDateTime toTimestamp(Object value, String logical) {
        if (value instanceof Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), ZoneOffset.UTC);
        }
        long n = ((Number) value).longValue();
        long micros;
        if ("io.debezium.time.Timestamp".equals(logical)) {
            micros = Math.multiplyExact(n, 1_000L);
        } else if ("io.debezium.time.NanoTimestamp".equals(logical)) {
            micros = Math.floorDiv(n, 1_000L);
        } else {
            micros = n; // io.debezium.time.MicroTimestamp
        }
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
    }

    private static Instant toInstant(Object value) {
        if (value instanceof String s) { // io.debezium.time.ZonedTimestamp
            return OffsetDateTime.parse(s).toInstant();
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        throw unexpected(value, "a timestamp with time zone");
    }

    private static byte[] toBytes(Object value, String logical) {
        byte[] bytes = bytes(value);
        if ("io.debezium.data.Bits".equals(logical)) {
            // Debezium's BIT(n) bytes are little-endian; the snapshot reads them most significant first.
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            return reversed;
        }
        return bytes;
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return b;
        }
        throw unexpected(value, "bytes");
    }

    /** A PostgreSQL array (a list) as JSON array text, as the snapshot's {@code to_json} writes it. */
    private static String toJson(Object value) {
        if (!(value instanceof List<?>)) {
            throw unexpected(value, "JSON text or an array");
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("array value cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException unexpected(Object value, String expected) {
        return new IllegalArgumentException("expected " + expected + " from the change log, got a "
                + value.getClass().getName());
    }
}
