package io.eltcdc.destination.redshift;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;

/**
 * The text form of values that travel as text in load files, as Redshift's casts read them:
 * ISO dates and times with microseconds, {@code +00} for instants, {@code BC} for years before 1,
 * decimals as plain digits, bytes as lower-case hex.
 */
final class LoadFileText {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LoadFileText() {}

    /** A decimal from its unscaled big-endian two's-complement bytes. */
    static String decimal(ByteBuffer unscaled, int scale) {
        ByteBuffer b = unscaled.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new BigDecimal(new BigInteger(bytes), scale).toPlainString();
    }

    /** A date of days since 1970-01-01. */
    static String date(int epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        StringBuilder out = new StringBuilder(16);
        appendDate(out, date);
        return bc(out, date).toString();
    }

    /** A time of day of microseconds since midnight. */
    static String time(long microsOfDay) {
        StringBuilder out = new StringBuilder(16);
        appendTime(out, microsOfDay);
        return out.toString();
    }

    /** A timestamp of epoch microseconds: a wall-clock time, or an instant in UTC ({@code +00}) when {@code utc}. */
    static String timestamp(long epochMicros, boolean utc) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochMicros, MICROS_PER_DAY));
        StringBuilder out = new StringBuilder(32);
        appendDate(out, date);
        out.append(' ');
        appendTime(out, Math.floorMod(epochMicros, MICROS_PER_DAY));
        if (utc) {
            out.append("+00");
        }
        return bc(out, date).toString();
    }

    /** Bytes as lower-case hex, {@code length} of them from the buffer's position. */
    static String hex(ByteBuffer bytes, int length) {
        ByteBuffer b = bytes.duplicate();
        char[] out = new char[length * 2];
        for (int i = 0; i < length; i++) {
            int v = b.get() & 0xff;
            out[2 * i] = HEX[v >>> 4];
            out[2 * i + 1] = HEX[v & 0xf];
        }
        return new String(out);
    }

    /** {@code yyyy-mm-dd}; years before 1 as their BC year (year 0 is 1 BC), which {@link #bc} marks. */
    private static void appendDate(StringBuilder out, LocalDate date) {
        int year = date.getYear() <= 0 ? 1 - date.getYear() : date.getYear();
        pad(out, year, 4);
        out.append('-');
        pad(out, date.getMonthValue(), 2);
        out.append('-');
        pad(out, date.getDayOfMonth(), 2);
    }

    private static StringBuilder bc(StringBuilder out, LocalDate date) {
        return date.getYear() <= 0 ? out.append(" BC") : out;
    }

    /** {@code hh:mm:ss.ffffff}. */
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
}
