package io.eltcdc.destination.postgres;

import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.UnscaledBytes;
import io.eltcdc.model.Column;
import io.eltcdc.model.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.avro.util.Utf8;

/**
 * Encodes rows in PostgreSQL's COPY text format (UTF-8), from the values' Avro form (boxed, or
 * primitive straight from a {@link StagedFileReader}): fields
 * separated by tabs, rows ended by newlines, {@code \N} for NULL; in values, backslash, tab,
 * newline and carriage return are escaped with a backslash (an empty string stays empty, unlike
 * NULL). Escaping works on UTF-8 bytes: bytes of multi-byte characters are never ASCII.
 *
 * <p>Dates and timestamps are written as ISO text with {@code BC} for years before 1, bytea as
 * {@code \x} hex, numbers as exact decimal text. Integers, decimals that fit 64 bits, dates and
 * times are formatted digit by digit into the buffer: no String or BigDecimal per value.
 */
final class CopyTextEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** 10^0 … 10^18: the scales a long-sized decimal is written with digit by digit. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private byte[] buffer;
    private int length;
    private boolean rowStarted;

    CopyTextEncoder(int capacity) {
        buffer = new byte[capacity];
    }

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Starts a field: a tab before every field but a row's first. */
    private void field() {
        if (rowStarted) {
            put((byte) '\t');
        }
        rowStarted = true;
    }

    void endRow() {
        put((byte) '\n');
        rowStarted = false;
    }

    void nullValue() {
        field();
        put((byte) '\\');
        put((byte) 'N');
    }

    /** A value of {@code column} in its Avro form (never null). */
    void value(Column column, Object value) {
        switch (column.type()) {
            case INT32 -> integer((Integer) value);
            case INT64 -> integer((Long) value);
            case FLOAT32 -> ascii(Float.toString((Float) value));
            case FLOAT64 -> ascii(Double.toString((Double) value));
            case BOOLEAN -> ascii((Boolean) value ? "t" : "f");
            case DECIMAL -> decimal((ByteBuffer) value, column.scale());
            case DECIMAL_TEXT, STRING, JSON, UUID -> text(value);
            case DATE -> dateField((Integer) value);
            case TIME -> timeField((Long) value);
            case TIMESTAMP -> timestampField((Long) value, false);
            case TIMESTAMP_TZ -> timestampField((Long) value, true);
            case BYTES -> bytea((ByteBuffer) value);
        }
    }

    /** The value of {@code column} in the current row of {@code file}, at its column {@code index} (never null). */
    void value(Column column, StagedFileReader file, int index) {
        switch (column.type()) {
            case INT32 -> integer(file.intValue(index));
            case INT64 -> integer(file.longValue(index));
            case FLOAT32 -> ascii(Float.toString(file.floatValue(index)));
            case FLOAT64 -> ascii(Double.toString(file.doubleValue(index)));
            case BOOLEAN -> ascii(file.booleanValue(index) ? "t" : "f");
            case DECIMAL -> decimal(file.bytes(index), column.scale());
            case DECIMAL_TEXT, STRING, JSON, UUID -> text(file.text(index));
            case DATE -> dateField(file.intValue(index));
            case TIME -> timeField(file.longValue(index));
            case TIMESTAMP -> timestampField(file.longValue(index), false);
            case TIMESTAMP_TZ -> timestampField(file.longValue(index), true);
            case BYTES -> bytea(file.bytes(index));
        }
    }

    /** An integer field. */
    void integer(long value) {
        field();
        ensure(20);
        if (value < 0) {
            buffer[length++] = '-';
            if (value == Long.MIN_VALUE) { // has no positive counterpart
                ascii("9223372036854775808", false);
                return;
            }
            value = -value;
        }
        digits(value, 1);
    }

    /**
     * A decimal field from its unscaled big-endian two's-complement bytes: digit by digit when the
     * unscaled value fits a long (every numeric(p,s) with p ≤ 18), through BigDecimal otherwise.
     */
    void decimal(ByteBuffer unscaled, int scale) {
        long low = UnscaledBytes.low(unscaled);
        if (UnscaledBytes.high(unscaled) != (low < 0 ? -1 : 0) || low == Long.MIN_VALUE || scale > 18) {
            ascii(new BigDecimal(new BigInteger(bytes(unscaled)), scale).toPlainString());
            return;
        }
        field();
        ensure(22);
        if (low < 0) {
            buffer[length++] = '-';
            low = -low;
        }
        if (scale <= 0) {
            digits(low, 1);
            for (int i = 0; i < -scale; i++) {
                put((byte) '0');
            }
            return;
        }
        long factor = POWERS_OF_TEN[scale];
        digits(low / factor, 1);
        buffer[length++] = '.';
        digits(low % factor, scale);
    }

    /** A date field of days since 1970-01-01. */
    void dateField(int epochDay) {
        field();
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        writeDate(date);
        if (date.getYear() <= 0) {
            ascii(" BC", false);
        }
    }

    /** A time field of microseconds since midnight. */
    void timeField(long microsOfDay) {
        field();
        writeTime(microsOfDay);
    }

    /** A timestamp field of epoch microseconds (UTC wall clock), with {@code +00} when {@code utc}, and BC where needed. */
    void timestampField(long epochMicros, boolean utc) {
        field();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochMicros, MICROS_PER_DAY));
        writeDate(date);
        put((byte) ' ');
        writeTime(Math.floorMod(epochMicros, MICROS_PER_DAY));
        if (utc) {
            ascii("+00", false);
        }
        if (date.getYear() <= 0) {
            ascii(" BC", false);
        }
    }

    /** A position as its decimal number. */
    void position(Position position) {
        if (position.high() == 0 && position.low() >= 0) {
            integer(position.low());
        } else {
            ascii(position.toString());
        }
    }

    /** Text that needs no escaping: numbers, dates, operation names. */
    void ascii(String text) {
        ascii(text, true);
    }

    /** ASCII text, as a field of its own or appended to the current field. */
    private void ascii(String text, boolean newField) {
        if (newField) {
            field();
        }
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    /** Text from Avro ({@link Utf8}) or Java, escaped. */
    void text(Object value) {
        field();
        if (value instanceof Utf8 utf8) {
            escaped(utf8.getBytes(), utf8.getByteLength());
        } else {
            byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
            escaped(bytes, bytes.length);
        }
    }

    private void escaped(byte[] bytes, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            byte b = bytes[i];
            switch (b) {
                case '\\' -> escape((byte) '\\');
                case '\t' -> escape((byte) 't');
                case '\n' -> escape((byte) 'n');
                case '\r' -> escape((byte) 'r');
                default -> put(b);
            }
        }
    }

    private void escape(byte code) {
        put((byte) '\\');
        put(code);
    }

    /** bytea in hex form: {@code \x…}, whose backslash COPY needs doubled. */
    private void bytea(ByteBuffer value) {
        field();
        ByteBuffer b = value.duplicate();
        ensure(3 + 2 * b.remaining());
        buffer[length++] = '\\';
        buffer[length++] = '\\';
        buffer[length++] = 'x';
        while (b.hasRemaining()) {
            int v = b.get() & 0xff;
            buffer[length++] = HEX[v >>> 4];
            buffer[length++] = HEX[v & 0xf];
        }
    }

    /** A date as COPY text (for tests and messages). */
    static String date(int epochDay) {
        CopyTextEncoder out = new CopyTextEncoder(16);
        out.dateField(epochDay);
        return out.text();
    }

    /** A time of day as COPY text. */
    static String time(long microsOfDay) {
        CopyTextEncoder out = new CopyTextEncoder(16);
        out.timeField(microsOfDay);
        return out.text();
    }

    /** A timestamp of epoch microseconds (UTC wall clock), then {@code offset}, then BC where needed. */
    static String timestamp(long epochMicros, String offset) {
        if (!offset.isEmpty() && !offset.equals("+00")) {
            throw new IllegalArgumentException("timestamps are written in UTC, not " + offset);
        }
        CopyTextEncoder out = new CopyTextEncoder(40);
        out.timestampField(epochMicros, !offset.isEmpty());
        return out.text();
    }

    private String text() {
        return new String(buffer, 0, length, StandardCharsets.US_ASCII);
    }

    private void writeDate(LocalDate date) {
        int year = date.getYear() <= 0 ? 1 - date.getYear() : date.getYear(); // ISO year 0 is 1 BC
        ensure(11);
        digits(year, 4);
        buffer[length++] = '-';
        digits(date.getMonthValue(), 2);
        buffer[length++] = '-';
        digits(date.getDayOfMonth(), 2);
    }

    private void writeTime(long micros) {
        long seconds = micros / 1_000_000;
        ensure(15);
        digits(seconds / 3600, 2);
        buffer[length++] = ':';
        digits(seconds / 60 % 60, 2);
        buffer[length++] = ':';
        digits(seconds % 60, 2);
        buffer[length++] = '.';
        digits(micros % 1_000_000, 6);
    }

    /** The decimal digits of {@code value} (not negative), left-padded with zeros to {@code width}. */
    private void digits(long value, int width) {
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        n = Math.max(n, width);
        ensure(n);
        for (int i = length + n - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += n;
    }

    private void put(byte b) {
        if (length == buffer.length) {
            ensure(1);
        }
        buffer[length++] = b;
    }

    /** Room for at least {@code n} more bytes, escaping aside (put() grows again if needed). */
    private void ensure(int n) {
        if (length + n > buffer.length) {
            byte[] grown = new byte[Math.max(buffer.length * 2, length + n)];
            System.arraycopy(buffer, 0, grown, 0, length);
            buffer = grown;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
