package io.eltcdc.load.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.apache.avro.util.Utf8;

/**
 * Encodes rows in PostgreSQL's COPY text format (UTF-8), from the values' Avro form: fields
 * separated by tabs, rows ended by newlines, {@code \N} for NULL; in values, backslash, tab,
 * newline and carriage return are escaped with a backslash (an empty string stays empty, unlike
 * NULL). Escaping works on UTF-8 bytes: bytes of multi-byte characters are never ASCII.
 *
 * <p>Dates and timestamps are written as ISO text with {@code BC} for years before 1, bytea as
 * {@code \x} hex, numbers as exact decimal text.
 */
final class CopyTextEncoder {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long MICROS_PER_DAY = 86_400_000_000L;

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
            case INT32, INT64 -> ascii(value.toString());
            case FLOAT32 -> ascii(Float.toString((Float) value));
            case FLOAT64 -> ascii(Double.toString((Double) value));
            case BOOLEAN -> ascii((Boolean) value ? "t" : "f");
            case DECIMAL -> ascii(new BigDecimal(new BigInteger(bytes((ByteBuffer) value)), column.scale()).toPlainString());
            case DECIMAL_TEXT, STRING, JSON, UUID -> text(value);
            case DATE -> ascii(date((Integer) value));
            case TIME -> ascii(time((Long) value));
            case TIMESTAMP -> ascii(timestamp((Long) value, ""));
            case TIMESTAMP_TZ -> ascii(timestamp((Long) value, "+00"));
            case BYTES -> bytea((ByteBuffer) value);
        }
    }

    /** A position as its decimal number. */
    void position(Position position) {
        ascii(position.high() == 0 ? Long.toUnsignedString(position.low()) : position.toString());
    }

    /** Text that needs no escaping: numbers, dates, operation names. */
    void ascii(String text) {
        field();
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

    static String date(int epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        StringBuilder out = new StringBuilder(16);
        appendDate(out, date);
        if (date.getYear() <= 0) {
            out.append(" BC");
        }
        return out.toString();
    }

    static String time(long microsOfDay) {
        StringBuilder out = new StringBuilder(15);
        appendTime(out, microsOfDay);
        return out.toString();
    }

    /** A timestamp of epoch microseconds (UTC wall clock), then {@code offset}, then BC where needed. */
    static String timestamp(long epochMicros, String offset) {
        long day = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        StringBuilder out = new StringBuilder(36);
        appendDate(out, date);
        out.append(' ');
        appendTime(out, Math.floorMod(epochMicros, MICROS_PER_DAY));
        out.append(offset);
        if (date.getYear() <= 0) {
            out.append(" BC");
        }
        return out.toString();
    }

    private static void appendDate(StringBuilder out, LocalDate date) {
        int year = date.getYear() <= 0 ? 1 - date.getYear() : date.getYear(); // ISO year 0 is 1 BC
        pad(out, year, 4);
        out.append('-');
        pad(out, date.getMonthValue(), 2);
        out.append('-');
        pad(out, date.getDayOfMonth(), 2);
    }

    private static void appendTime(StringBuilder out, long micros) {
        long seconds = micros / 1_000_000;
        pad(out, seconds / 3600, 2);
        out.append(':');
        pad(out, seconds / 60 % 60, 2);
        out.append(':');
        pad(out, seconds % 60, 2);
        out.append('.');
        pad(out, micros % 1_000_000, 6);
    }

    private static void pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
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
