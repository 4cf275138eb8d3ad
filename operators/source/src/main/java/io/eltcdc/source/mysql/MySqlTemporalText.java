package io.eltcdc.source.mysql;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * MySQL's text forms of dates and times, parsed and written here rather than by the driver's
 * {@code java.sql} or {@code java.time} conversions: the text is what the server sent (in the
 * session's time zone, UTC), so no value passes through the JVM's zone, and the values a
 * {@code java.time} class cannot hold are recognised as such instead of failing somewhere inside
 * the driver:
 *
 * <ul>
 *   <li>zero dates ({@code 0000-00-00}, and dates with a zero month or day, which MySQL accepts
 *       unless {@code NO_ZERO_DATE} / {@code NO_ZERO_IN_DATE} are set) are no date: {@link #date}
 *       and {@link #dateTime} return null for them, {@link #isZeroDate} tells them from NULL;
 *   <li>TIME values outside a day ({@link #time}).
 * </ul>
 */
final class MySqlTemporalText {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private MySqlTemporalText() {}

    /** A TIME value that is not a time of day: negative, or 24 hours or more. */
    static final class NotATimeOfDay extends Exception {
        private static final long serialVersionUID = 1L;

        NotATimeOfDay(String text) {
            super(text);
        }
    }

    /** Whether {@code text} (a DATE, DATETIME or TIMESTAMP) has a zero year-month-day part or a zero month or day. */
    static boolean isZeroDate(String text) {
        return text.length() >= 10 && (text.startsWith("00", 5) || text.startsWith("00", 8));
    }

    /** {@code yyyy-MM-dd}; null for a zero date. */
    static LocalDate date(String text) {
        if (isZeroDate(text)) {
            return null;
        }
        return LocalDate.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10));
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]}; null for a zero date. */
    static LocalDateTime dateTime(String text) {
        if (isZeroDate(text)) {
            return null;
        }
        if (text.length() < 19 || text.charAt(10) != ' ') {
            throw new DateTimeException("'" + text + "' is not a MySQL DATETIME text");
        }
        return LocalDateTime.of(
                number(text, 0, 4),
                number(text, 5, 7),
                number(text, 8, 10),
                number(text, 11, 13),
                number(text, 14, 16),
                number(text, 17, 19),
                nanos(text, 19));
    }

    /**
     * {@code [-]H…H:mm:ss[.fraction]} as a time of day.
     *
     * <p>A MySQL TIME also holds durations: negative ones and up to 838:59:59. Such a value cannot
     * be a {@link LocalTime}, and each way of forcing it into one changes the data without anyone
     * noticing (a duration of 25 h is not 01:00; NULL loses it), so it is refused: the caller stops
     * the snapshot with a message naming the table, column and value.
     *
     * @throws NotATimeOfDay for a negative value or one of 24 hours or more
     */
    static LocalTime time(String text) throws NotATimeOfDay {
        if (text.startsWith("-")) {
            throw new NotATimeOfDay(text);
        }
        int colon = text.indexOf(':');
        if (colon < 1 || text.length() < colon + 6) {
            throw new DateTimeException("'" + text + "' is not a MySQL TIME text");
        }
        int hours = number(text, 0, colon);
        if (hours >= 24) {
            throw new NotATimeOfDay(text);
        }
        return LocalTime.of(
                hours, number(text, colon + 1, colon + 3), number(text, colon + 4, colon + 6), nanos(text, colon + 6));
    }

    /** A date as a literal's text, which the server reads back as the same date. */
    static String format(LocalDate value) {
        return DATE.format(value);
    }

    /** A time of day as a literal's text, to the microsecond (MySQL's finest). */
    static String format(LocalTime value) {
        return TIME.format(value);
    }

    /** A date and time as a literal's text, to the microsecond (MySQL's finest). */
    static String format(LocalDateTime value) {
        return DATE_TIME.format(value);
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("'" + text + "' is not a MySQL date or time text");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The fraction of a second after {@code at} ({@code .123456}), in nanoseconds; 0 for none. */
    private static int nanos(String text, int at) {
        if (at == text.length()) {
            return 0;
        }
        if (text.charAt(at) != '.' || text.length() - at - 1 > 9 || text.length() - at - 1 < 1) {
            throw new DateTimeException("'" + text + "' has no valid fraction of a second");
        }
        int digits = text.length() - at - 1;
        int value = number(text, at + 1, text.length());
        for (int i = digits; i < 9; i++) {
            value *= 10;
        }
        return value;
    }
}
