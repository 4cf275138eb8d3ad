package io.eltcdc.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Converts values between their pipeline form (the Java classes of {@link ColumnType}) and their
 * Avro form (what a generic Avro record holds for the field's logical type). Both directions live
 * here so that staging and loading can never disagree.
 */
public final class AvroValues {
    private AvroValues() {}

    /** The Avro form of {@code value}, a value of {@code column}; null stays null. */
    public static Object toAvro(Column column, Object value) {
        if (value == null) {
            return null;
        }
        switch (column.type()) {
            case DECIMAL:
                BigDecimal decimal = (BigDecimal) value;
                if (decimal.scale() != column.scale()) {
                    // Only widening happens for a value of a numeric(p,s) column; a value that would
                    // lose digits is a bug upstream, and fails loudly instead of rounding.
                    decimal = decimal.setScale(column.scale(), RoundingMode.UNNECESSARY);
                }
                return ByteBuffer.wrap(decimal.unscaledValue().toByteArray());
            case DATE:
                return (int) ((LocalDate) value).toEpochDay();
            case TIME:
                return ((LocalTime) value).toNanoOfDay() / 1_000;
            case TIMESTAMP:
                return micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC));
            case TIMESTAMP_TZ:
                return micros((Instant) value);
            case UUID:
                return value.toString();
            case BYTES:
                return ByteBuffer.wrap((byte[]) value);
            default:
                return value;
        }
    }

    /** The pipeline form of {@code avroValue}, read from a field of {@code column}. */
    public static Object fromAvro(Column column, Object avroValue) {
        if (avroValue == null) {
            return null;
        }
        switch (column.type()) {
            case INT32:
            case INT64:
            case FLOAT32:
            case FLOAT64:
            case BOOLEAN:
                return avroValue;
            case DECIMAL:
                return new BigDecimal(new BigInteger(bytes((ByteBuffer) avroValue)), column.scale());
            case DATE:
                return LocalDate.ofEpochDay((Integer) avroValue);
            case TIME:
                return LocalTime.ofNanoOfDay((Long) avroValue * 1_000);
            case TIMESTAMP:
                return LocalDateTime.ofInstant(instant((Long) avroValue), ZoneOffset.UTC);
            case TIMESTAMP_TZ:
                return instant((Long) avroValue);
            case UUID:
                return UUID.fromString(avroValue.toString());
            case BYTES:
                return bytes((ByteBuffer) avroValue);
            default:
                return avroValue.toString();
        }
    }

    /** The Avro form of a position: the unscaled bytes of a {@code decimal(38,0)}. */
    public static ByteBuffer positionToAvro(Position position) {
        return ByteBuffer.wrap(position.toBigInteger().toByteArray());
    }

    public static Position positionFromAvro(Object avroValue) {
        return Position.of(new BigInteger(bytes((ByteBuffer) avroValue)));
    }

    /** The Avro form of a record's unchanged columns: null for none, else a list of the indexes. */
    public static List<Integer> unchangedToAvro(int[] unchangedColumns) {
        if (unchangedColumns.length == 0) {
            return null;
        }
        List<Integer> out = new ArrayList<>(unchangedColumns.length);
        for (int column : unchangedColumns) {
            out.add(column);
        }
        return out;
    }

    /** The unchanged columns from their Avro form (a collection of ints, or null, e.g. for a file without the field). */
    public static int[] unchangedFromAvro(Object avroValue) {
        if (avroValue == null) {
            return new int[0];
        }
        Collection<?> list = (Collection<?>) avroValue;
        int[] out = new int[list.size()];
        int i = 0;
        for (Object column : list) {
            out[i++] = ((Number) column).intValue();
        }
        return out;
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
