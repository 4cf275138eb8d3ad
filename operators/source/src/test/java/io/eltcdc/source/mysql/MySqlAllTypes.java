package io.eltcdc.source.mysql;

import io.eltcdc.testing.TestMySql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A table with a column of every MySQL type the source reads, and rows at the edges of each type:
 * minimums and negatives (row 1), maximums (row 2), NULLs (row 3), zero dates (row 4), time zone
 * traps (row 5), then {@code generated} rows of varied values (ids from 6).
 *
 * <p>Rows are inserted in a session whose time zone is {@link #INSERT_ZONE}, so TIMESTAMP literals
 * denote instants of that zone; the expected values of rows 1 to 5 ({@link #expectedRow}) are
 * written out here, independently of both the source and {@link MySqlReference}.
 */
final class MySqlAllTypes {
    static final ZoneOffset INSERT_ZONE = ZoneOffset.ofHoursMinutes(5, 30);

    static final List<String> COLUMNS = List.of(
            "id",
            "c_bool",
            "c_bit1",
            "c_bit12",
            "c_tiny",
            "c_tiny_u",
            "c_small",
            "c_small_u",
            "c_medium",
            "c_medium_u",
            "c_int",
            "c_int_u",
            "c_big",
            "c_big_u",
            "c_year",
            "c_float",
            "c_double",
            "c_real",
            "c_dec",
            "c_dec38",
            "c_dec65",
            "c_char",
            "c_varchar",
            "c_tinytext",
            "c_text",
            "c_mediumtext",
            "c_longtext",
            "c_enum",
            "c_set",
            "c_json",
            "c_binary",
            "c_varbinary",
            "c_tinyblob",
            "c_blob",
            "c_mediumblob",
            "c_longblob",
            "c_date",
            "c_time",
            "c_datetime",
            "c_timestamp");

    static final String CREATE = "CREATE TABLE all_types (id int NOT NULL PRIMARY KEY, c_bool bool, c_bit1 bit(1),"
            + " c_bit12 bit(12), c_tiny tinyint, c_tiny_u tinyint unsigned, c_small smallint,"
            + " c_small_u smallint unsigned, c_medium mediumint, c_medium_u mediumint unsigned, c_int int,"
            + " c_int_u int unsigned, c_big bigint, c_big_u bigint unsigned, c_year year, c_float float,"
            + " c_double double, c_real real, c_dec decimal(12,3), c_dec38 decimal(38,10), c_dec65 decimal(65,30),"
            + " c_char char(10), c_varchar varchar(100), c_tinytext tinytext, c_text text, c_mediumtext mediumtext,"
            + " c_longtext longtext, c_enum enum('small','medium','large'), c_set set('a','b','c'), c_json json,"
            + " c_binary binary(4), c_varbinary varbinary(16), c_tinyblob tinyblob, c_blob blob,"
            + " c_mediumblob mediumblob, c_longblob longblob, c_date date, c_time time(6), c_datetime datetime(6),"
            + " c_timestamp timestamp(6) NULL DEFAULT NULL) CHARACTER SET utf8mb4";

    private static final String DEC38_MAX = "9999999999999999999999999999.9999999999";
    private static final String DEC65_MAX = "99999999999999999999999999999999999.999999999999999999999999999999";
    private static final String TEXT = "😀 ü ß 漢字 \t tab";
    private static final String JSON = "{\"k\": [1, 2.50, \"x\"], \"n\": null, \"e\": \"😀\"}";

    private MySqlAllTypes() {}

    /** Creates and fills the table in the database of {@code url}: 5 edge rows and {@code generated} more. */
    static void create(String url, int generated) throws SQLException {
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            s.execute(CREATE);
            s.execute("SET SESSION sql_mode = ''"); // zero dates and out-of-range TIME values are allowed
            s.execute("SET time_zone = '" + INSERT_ZONE.getId() + "'");
            s.execute("INSERT INTO all_types VALUES (1, 0, b'0', b'000000000000', -128, 0, -32768, 0, -8388608, 0,"
                    + " -2147483648, 0, -9223372036854775808, 0, 1901, -3.4028234663852886e38,"
                    + " -1.7976931348623157e308, -2.2250738585072014e-308, -999999999.999, -" + DEC38_MAX + ", -"
                    + DEC65_MAX
                    + ", 'a', '', 'it''s \\\\ \"q\"', '', ' leading and trailing  ', 'x', 'small', '', '[]',"
                    + " x'00', x'', x'00', x'', x'ff', x'00ff', '1000-01-01', '00:00:00', '1000-01-01 00:00:00',"
                    + " '1970-01-01 05:30:01')");
            s.execute("INSERT INTO all_types VALUES (2, 1, b'1', b'111111111111', 127, 255, 32767, 65535, 8388607,"
                    + " 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 2155, 1.2345678,"
                    + " 0.30000000000000004, 1.7976931348623157e308, 999999999.999, " + DEC38_MAX + ", " + DEC65_MAX
                    + ", 'ABCDEFGHIJ', '" + TEXT + "', 'ü', REPEAT('long ', 2000), '🎉🎉', 'a\\0b', 'large', 'a,c', '"
                    + JSON + "', x'00010200', x'00ff00ff', x'7f80', UNHEX('" + allBytesHex() + "'), x'00', x'0000',"
                    + " '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 08:44:07.999999')");
            s.execute("INSERT INTO all_types (id) VALUES (3)");
            s.execute("INSERT INTO all_types (id, c_date, c_datetime, c_timestamp)"
                    + " VALUES (4, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00')");
            // 02:30 on 2024-03-10 does not exist in America/St_Johns (the tests' JVM zone): a value
            // that passed through the JVM's zone would come out as 03:30
            s.execute(
                    "INSERT INTO all_types (id, c_date, c_time, c_datetime, c_timestamp)"
                            + " VALUES (5, '2024-02-00', '12:34:56.000001', '2024-03-10 02:30:00.5', '2024-03-31 02:30:00.123456')");
            if (generated > 0) {
                s.execute("INSERT INTO all_types SELECT n + 5, n % 2, n % 2, n % 4096, n % 256 - 128, n % 256,"
                        + " n * 7 - 30000, n * 200, n * -1000, n * 1000, n * -7000000, 4294967295 - n,"
                        + " n * -30000000000000000, 18446744073709551615 - n, 1901 + n % 255, n * 0.25, n / 3e0,"
                        + " -n * 1.5e-300, n * 1.001 - 50, CONCAT(IF(n % 2 = 0, '-', ''), n, '.', LPAD(n, 10, '0')),"
                        + " CONCAT('-', n, REPEAT('0', 30), '.', LPAD(n, 30, '0')), CONCAT('c', n), CONCAT('v😀', n),"
                        + " IF(n % 5 = 0, NULL, 'tt'), CONCAT('text ', n), REPEAT('m', n), CONCAT('ü', n),"
                        + " ELT(1 + n % 3, 'small', 'medium', 'large'), ELT(1 + n % 4, '', 'a', 'b,c', 'a,b,c'),"
                        + " CONCAT('{\"g\": ', n, ', \"s\": \"x', n, '\"}'), UNHEX(LPAD(HEX(n), 8, '0')),"
                        + " UNHEX(CONCAT('00', LPAD(HEX(n), 4, '0'))), UNHEX(LPAD(HEX(n % 256), 2, '0')), NULL,"
                        + " UNHEX(REPEAT('00', n % 10)), UNHEX(LPAD(HEX(n), 4, '0')),"
                        + " DATE_ADD('2000-01-01', INTERVAL n DAY), ADDTIME(SEC_TO_TIME(n * 277), '0.000123'),"
                        + " DATE_ADD('1999-12-31 23:59:59.999999', INTERVAL n HOUR),"
                        + " FROM_UNIXTIME(1700000000 + n * 3600 + 0.25) FROM " + MySqlTestSql.numbers(generated));
            }
        }
    }

    /** Rows 1 to 5 as the pipeline should read them, one value per column of {@link #COLUMNS}. */
    static Object[] expectedRow(int id) {
        Object[] row = new Object[COLUMNS.size()];
        row[0] = id;
        switch (id) {
            case 1 ->
                set(
                        row,
                        false,
                        false,
                        new byte[] {0, 0},
                        -128,
                        0,
                        -32768,
                        0,
                        -8388608,
                        0,
                        Integer.MIN_VALUE,
                        0L,
                        Long.MIN_VALUE,
                        new BigDecimal("0"),
                        1901,
                        -Float.MAX_VALUE,
                        -Double.MAX_VALUE,
                        -Double.MIN_NORMAL,
                        new BigDecimal("-999999999.999"),
                        new BigDecimal("-" + DEC38_MAX),
                        "-" + DEC65_MAX,
                        "a",
                        "",
                        "it's \\ \"q\"",
                        "",
                        " leading and trailing  ",
                        "x",
                        "small",
                        "",
                        "[]",
                        new byte[4],
                        new byte[0],
                        new byte[] {0},
                        new byte[0],
                        new byte[] {(byte) 0xff},
                        new byte[] {0, (byte) 0xff},
                        LocalDate.of(1000, 1, 1),
                        LocalTime.MIDNIGHT,
                        LocalDateTime.of(1000, 1, 1, 0, 0),
                        Instant.parse("1970-01-01T00:00:01Z"));
            case 2 ->
                set(
                        row,
                        true,
                        true,
                        new byte[] {0x0f, (byte) 0xff},
                        127,
                        255,
                        32767,
                        65535,
                        8388607,
                        16777215,
                        Integer.MAX_VALUE,
                        4294967295L,
                        Long.MAX_VALUE,
                        new BigDecimal("18446744073709551615"),
                        2155,
                        (float) 1.2345678,
                        0.30000000000000004,
                        Double.MAX_VALUE,
                        new BigDecimal("999999999.999"),
                        new BigDecimal(DEC38_MAX),
                        DEC65_MAX,
                        "ABCDEFGHIJ",
                        TEXT,
                        "ü",
                        "long ".repeat(2000),
                        "🎉🎉",
                        "a\u0000b",
                        "large",
                        "a,c",
                        JSON,
                        new byte[] {0, 1, 2, 0},
                        new byte[] {0, (byte) 0xff, 0, (byte) 0xff},
                        new byte[] {0x7f, (byte) 0x80},
                        allBytes(),
                        new byte[] {0},
                        new byte[] {0, 0},
                        LocalDate.of(9999, 12, 31),
                        LocalTime.of(23, 59, 59, 999_999_000),
                        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                        Instant.parse("2038-01-19T03:14:07.999999Z"));
            case 3, 4 -> {} // NULL everywhere; zero dates are NULL
            case 5 -> {
                row[COLUMNS.indexOf("c_time")] = LocalTime.of(12, 34, 56, 1000);
                row[COLUMNS.indexOf("c_datetime")] = LocalDateTime.of(2024, 3, 10, 2, 30, 0, 500_000_000);
                row[COLUMNS.indexOf("c_timestamp")] =
                        LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000).toInstant(INSERT_ZONE);
            }
            default -> throw new IllegalArgumentException("no written-out expectation for row " + id);
        }
        return row;
    }

    private static void set(Object[] row, Object... values) {
        System.arraycopy(values, 0, row, 1, values.length);
        if (values.length != row.length - 1) {
            throw new IllegalArgumentException(values.length + " values for " + (row.length - 1) + " columns");
        }
    }

    private static byte[] allBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static String allBytesHex() {
        return java.util.HexFormat.of().formatHex(allBytes());
    }
}
