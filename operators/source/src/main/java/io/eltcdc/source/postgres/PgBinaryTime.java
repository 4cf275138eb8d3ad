package io.eltcdc.source.postgres;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Decodes PostgreSQL's binary dates and times (integer datetimes, the only kind since PostgreSQL
 * 10): {@code date} as days, {@code time} as microseconds of the day, {@code timestamp} and
 * {@code timestamptz} as microseconds, all counted from 2000-01-01 (UTC for timestamptz), in the
 * proleptic Gregorian calendar like {@code java.time}.
 *
 * <p>Special values come out as they did through pgjdbc's text parsing: {@code ±infinity} as the
 * {@code MAX}/{@code MIN} of the Java type ({@code OffsetDateTime.MAX}'s instant for timestamptz),
 * and {@code time '24:00:00'} as {@code LocalTime.MAX}.
 */
final class PgBinaryTime {
    private static final long PG_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final long PG_EPOCH_SECOND = PG_EPOCH_DAY * 86_400L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    private static final Instant INSTANT_INFINITY = OffsetDateTime.MAX.toInstant();
    private static final Instant INSTANT_MINUS_INFINITY = OffsetDateTime.MIN.toInstant();

    private PgBinaryTime() {}

    static LocalDate date(byte[] buf, int offset) {
        int days = PgBinary.int32(buf, offset);
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(PG_EPOCH_DAY + days);
    }

    static LocalTime time(byte[] buf, int offset) {
        long micros = PgBinary.int64(buf, offset);
        return micros == MICROS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }

    static LocalDateTime timestamp(byte[] buf, int offset) {
        long micros = PgBinary.int64(buf, offset);
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        return LocalDateTime.ofEpochSecond(epochSecond(micros), nanoOfSecond(micros), ZoneOffset.UTC);
    }

    static Instant timestampTz(byte[] buf, int offset) {
        long micros = PgBinary.int64(buf, offset);
        if (micros == Long.MAX_VALUE) {
            return INSTANT_INFINITY;
        }
        if (micros == Long.MIN_VALUE) {
            return INSTANT_MINUS_INFINITY;
        }
        return Instant.ofEpochSecond(epochSecond(micros), nanoOfSecond(micros));
    }

    private static long epochSecond(long pgMicros) {
        return PG_EPOCH_SECOND + Math.floorDiv(pgMicros, MICROS_PER_SECOND);
    }

    private static int nanoOfSecond(long pgMicros) {
        return (int) Math.floorMod(pgMicros, MICROS_PER_SECOND) * 1000;
    }
}
