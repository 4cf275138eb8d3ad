package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestMySql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the server holds, read independently of the source's readers: every value is turned into
 * text (or hex) by the server itself, in a session whose time zone is not UTC, and parsed here
 * into the column type's Java class, so a test can compare the source's records with it value by
 * value.
 *
 * <ul>
 *   <li>TIMESTAMP as {@code UNIX_TIMESTAMP(col)}, the stored instant whatever the session's zone;
 *       DATETIME, DATE and TIME through {@code DATE_FORMAT} / {@code TIME_FORMAT}; zero dates NULL;
 *   <li>strings and bytes as {@code HEX(col)}, decoded here (no driver character conversion);
 *   <li>numbers as the server's decimal text ({@code FLOAT} cast to {@code DOUBLE}: its own text has six
 *       digits).
 * </ul>
 */
final class MySqlReference {
    /** The reference session's zone: anything but UTC, with a half-hour offset. */
    static final String SESSION_ZONE = "-03:30";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private MySqlReference() {}

    /** Every row of the table, in no particular order, one value per column of {@code schema}. */
    static List<Object[]> rows(String url, TableSchema schema) throws SQLException {
        String select =
                schema.columns().stream().map(MySqlReference::expression).collect(Collectors.joining(", "));
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            s.execute("SET time_zone = '" + SESSION_ZONE + "'");
            try (ResultSet rs = s.executeQuery("SELECT " + select + " FROM " + MySqlIdentifiers.quote(schema.id()))) {
                while (rs.next()) {
                    Object[] row = new Object[schema.columns().size()];
                    for (int i = 0; i < row.length; i++) {
                        String text = rs.getString(i + 1);
                        row[i] = text == null ? null : parse(schema.columns().get(i), text);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static String expression(Column column) {
        String c = MySqlIdentifiers.quote(column.name());
        String dataType = MySqlTypes.dataTypeOf(column.sourceType());
        return switch (column.type()) {
            case BOOLEAN -> "(" + c + " + 0)";
            case FLOAT32 -> "CAST(" + c + " AS DOUBLE)"; // all its digits; DECIMAL(65,30) cannot hold 3.4e38
            case STRING, JSON -> "HEX(" + c + ")";
            case BYTES -> dataType.equals("bit") ? "CAST(" + c + " + 0 AS CHAR)" : "HEX(" + c + ")";
            case DATE ->
                "IF(MONTH(" + c + ") = 0 OR DAYOFMONTH(" + c + ") = 0, NULL, DATE_FORMAT(" + c + ", '%Y-%m-%d'))";
            case TIMESTAMP ->
                "IF(MONTH(" + c + ") = 0 OR DAYOFMONTH(" + c + ") = 0, NULL, DATE_FORMAT(" + c
                        + ", '%Y-%m-%d %H:%i:%s.%f'))";
            case TIMESTAMP_TZ -> "IF(MONTH(" + c + ") = 0, NULL, UNIX_TIMESTAMP(" + c + "))";
            case TIME -> "TIME_FORMAT(" + c + ", '%H:%i:%s.%f')";
            default -> "CAST(" + c + " AS CHAR)";
        };
    }

    private static Object parse(Column column, String text) {
        return switch (column.type()) {
            case INT32 -> Integer.valueOf(text);
            case INT64 -> Long.valueOf(text);
            case FLOAT32 -> (float) Double.parseDouble(text);
            case FLOAT64 -> Double.valueOf(text);
            case BOOLEAN -> Long.parseLong(text) != 0;
            case DECIMAL -> new BigDecimal(text);
            case DECIMAL_TEXT -> text;
            case STRING, JSON -> new String(HexFormat.of().parseHex(text), StandardCharsets.UTF_8);
            case BYTES ->
                MySqlTypes.dataTypeOf(column.sourceType()).equals("bit")
                        ? bitBytes(new BigInteger(text), bitLength(column.sourceType()))
                        : HexFormat.of().parseHex(text);
            case DATE -> LocalDate.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text, DATE_TIME);
            case TIMESTAMP_TZ -> {
                BigDecimal seconds = new BigDecimal(text);
                yield Instant.ofEpochSecond(
                        seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            }
            case TIME -> LocalTime.parse(text);
            case UUID -> UUID.fromString(text);
        };
    }

    private static int bitLength(String sourceType) {
        return Integer.parseInt(sourceType.substring(sourceType.indexOf('(') + 1, sourceType.indexOf(')')));
    }

    /** {@code value} big-endian in {@code ceil(bits / 8)} bytes, as the server sends a BIT value. */
    static byte[] bitBytes(BigInteger value, int bits) {
        byte[] bytes = new byte[(bits + 7) / 8];
        byte[] raw = value.toByteArray(); // may carry a leading sign byte
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        return bytes;
    }

    /** A row's values with byte arrays as hex text, so rows compare by value. */
    static List<Object> comparable(Object[] row) {
        return Arrays.stream(row)
                .map(v -> v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v)
                .collect(Collectors.toList());
    }
}
