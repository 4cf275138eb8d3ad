package io.eltcdc.source.snapshot;

import io.eltcdc.testing.TestPostgres;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * A table with a column of every type the source maps, filled with generated values, and for each
 * row the values the source must emit (of the column types' Java classes). Every tenth row holds
 * NULL in every column but the key.
 */
final class AllTypesTable {
    static final String NAME = "public.all_types";

    /** A column: its SQL type, the value inserted for row i, the value expected back. */
    private record Spec(String name, String sqlType, IntFunction<Object> inserted, IntFunction<Object> expected) {}

    private final List<Spec> columns = new ArrayList<>();

    AllTypesTable(String moneyText) {
        add("id", "int PRIMARY KEY", i -> i);
        add("c_int2", "int2", i -> i * 7 % 30000 - 15000);
        add("c_int4", "int4", i -> i * 1_000_003 * (i % 2 == 0 ? 1 : -1));
        add("c_int8", "int8", i -> i * 1_000_000_000_007L * (i % 2 == 0 ? 1 : -1));
        add("c_num", "numeric(12,3)", i -> new BigDecimal(BigInteger.valueOf(i * 1_234_567L + 1), 3).multiply(sign(i)));
        // kept as text, exactly as entered, trailing zeros included
        add("c_num_free", "numeric", i -> "1" + "0".repeat(30) + "." + i + "00");
        add(
                "c_num_wide",
                "numeric(50,10)",
                i -> "123456789012345678901234567890." + i,
                i -> new BigDecimal("123456789012345678901234567890." + i)
                        .setScale(10)
                        .toPlainString());
        add("c_f4", "float4", i -> i / 7f);
        add("c_f8", "float8", i -> i / 3.0);
        add("c_bool", "bool", i -> i % 3 == 0);
        add("c_text", "text", i -> "row " + i + " 'q' \"dq\" \\ ünïcödé 😀\nsecond line");
        add("c_varchar", "varchar(20)", i -> "v" + i);
        add("c_bpchar", "char(5)", i -> "ab", i -> "ab   ");
        add("c_name", "name", i -> "n" + i);
        add("c_citext", "citext", i -> "CiText" + i);
        // dates and times around 1883-11-18, when many zones changed offset: any zone shift shows
        add("c_date", "date", i -> LocalDate.of(1883, 11, 18).plusDays(i * 131L));
        add("c_time", "time", i -> LocalTime.ofNanoOfDay((i * 3_723_456_789L) % 86_400_000_000L * 1000));
        add(
                "c_ts",
                "timestamp",
                i -> LocalDateTime.of(
                        1883 + i % 200, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, (i * 1000 % 1_000_000) * 1000));
        add(
                "c_tstz",
                "timestamptz",
                i -> instant(i).atOffset(ZoneOffset.ofHoursMinutes(5, 30)),
                AllTypesTable::instant);
        add("c_uuid", "uuid", i -> UUID.nameUUIDFromBytes(("u" + i).getBytes(StandardCharsets.UTF_8)));
        add("c_json", "json", i -> "{\"i\": " + i + ",  \"s\": \"x\\\"y\"}");
        add(
                "c_jsonb",
                "jsonb",
                i -> "{\"b\": " + i + ", \"a\": [1, \"x\"]}",
                i -> "{\"a\": [1, \"x\"], \"b\": " + i + "}");
        add("c_bytea", "bytea", i -> new byte[] {0, (byte) i, (byte) 0xff, 'A'});
        add("c_int_arr", "int[]", i -> "{1,NULL," + i + "}", i -> "[1,null," + i + "]");
        add("c_int_2d", "int[][]", i -> "{{1,2},{3," + i + "}}", i -> "[[1,2],[3," + i + "]]");
        add("c_text_arr", "text[]", i -> "{\"a\\\"b\",NULL,\"c,d\",\"ü\"}", i -> "[\"a\\\"b\",null,\"c,d\",\"ü\"]");
        add("c_num_arr", "numeric[]", i -> "{1.50,-2," + i + ".000}", i -> "[1.50,-2," + i + ".000]");
        add("c_tstz_arr", "timestamptz[]", i -> "{\"2024-01-01 10:00:00+02\"}", i -> "[\"2024-01-01T08:00:00+00:00\"]");
        add("c_mood", "mood", i -> i % 2 == 0 ? "happy" : "sad");
        add("c_interval", "interval", i -> "3 days 04:05:06.789");
        add("c_inet", "inet", i -> "10.0." + i / 256 + "." + i % 256);
        add("c_money", "money", i -> "12.34", i -> moneyText);
        add("c_timetz", "timetz", i -> "10:11:12.5+05:30");
        add("c_domain", "money2", i -> new BigDecimal(BigInteger.valueOf(i * 101L), 2));
    }

    private static BigDecimal sign(int i) {
        return i % 2 == 0 ? BigDecimal.ONE : BigDecimal.ONE.negate();
    }

    private static Instant instant(int i) {
        return Instant.parse("1883-11-18T12:00:00Z")
                .plusSeconds(i * 86_400L * 97)
                .plusNanos(i * 1000L);
    }

    private void add(String name, String sqlType, IntFunction<Object> value) {
        add(name, sqlType, value, value);
    }

    private void add(String name, String sqlType, IntFunction<Object> inserted, IntFunction<Object> expected) {
        columns.add(new Spec(name, sqlType, inserted, expected));
    }

    static boolean allNull(int i) {
        return i % 10 == 0;
    }

    void create(String url, int rows) throws SQLException {
        try (Connection c = TestPostgres.connect(url)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS citext");
                s.execute("CREATE TYPE mood AS ENUM ('sad', 'happy')");
                s.execute("CREATE DOMAIN money2 AS numeric(10, 2)");
                s.execute("CREATE TABLE " + NAME + " ("
                        + columns.stream()
                                .map(col -> col.name() + " " + col.sqlType())
                                .collect(Collectors.joining(", "))
                        + ")");
            }
            String sql = "INSERT INTO " + NAME + " VALUES ("
                    + columns.stream()
                            .map(col -> "CAST(? AS " + col.sqlType().replace(" PRIMARY KEY", "") + ")")
                            .collect(Collectors.joining(", "))
                    + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 1; i <= rows; i++) {
                    for (int col = 0; col < columns.size(); col++) {
                        ps.setObject(
                                col + 1,
                                col > 0 && allNull(i)
                                        ? null
                                        : columns.get(col).inserted().apply(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    List<String> columnNames() {
        return columns.stream().map(Spec::name).toList();
    }

    /** The values the source must emit for row {@code i}. */
    Object[] expectedRow(int i) {
        Object[] row = new Object[columns.size()];
        for (int col = 0; col < row.length; col++) {
            row[col] =
                    col > 0 && allNull(i) ? null : columns.get(col).expected().apply(i);
        }
        return row;
    }
}
