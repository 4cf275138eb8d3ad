package io.eltcdc.destination.testkit;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A table with a column of every {@link ColumnType}, and rows of ordinary, extreme and NULL values. */
public final class AllTypes {
    private AllTypes() {}

    public static TableSchema table(TableId id) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("id", ColumnType.INT64, 0, 0, false, "int8"));
        columns.add(Column.of("c_int", ColumnType.INT32));
        columns.add(Column.of("c_bigint", ColumnType.INT64));
        columns.add(Column.of("c_real", ColumnType.FLOAT32));
        columns.add(Column.of("c_double", ColumnType.FLOAT64));
        columns.add(Column.of("c_bool", ColumnType.BOOLEAN));
        columns.add(Column.decimal("c_decimal", 38, 12));
        columns.add(Column.decimal("c_decimal_int", 38, 0));
        columns.add(Column.decimal("c_decimal_4", 4, 2));
        columns.add(Column.decimal("c_decimal_9", 9, 3));
        columns.add(Column.decimal("c_decimal_18", 18, 6));
        columns.add(Column.of("c_decimal_text", ColumnType.DECIMAL_TEXT));
        columns.add(Column.of("c_text", ColumnType.STRING));
        columns.add(Column.of("c_date", ColumnType.DATE));
        columns.add(Column.of("c_time", ColumnType.TIME));
        columns.add(Column.of("c_ts", ColumnType.TIMESTAMP));
        columns.add(Column.of("c_tstz", ColumnType.TIMESTAMP_TZ));
        columns.add(Column.of("c_uuid", ColumnType.UUID));
        columns.add(Column.of("c_json", ColumnType.JSON));
        columns.add(Column.of("c_bytes", ColumnType.BYTES));
        return new TableSchema(id, columns, List.of("id"));
    }

    public static final String TRICKY_TEXT =
            "tab\there\nnew line\r\nback\\slash \\N \\t 'single' \"double\" ünïcödé € 😀 ,;|";

    public static List<Object[]> rows() {
        return List.of(
                new Object[] {
                    1L,
                    42,
                    4_200_000_000L,
                    1.5f,
                    -2.25,
                    true,
                    new BigDecimal("12345.678900000000"),
                    new BigDecimal("42"),
                    new BigDecimal("12.34"),
                    new BigDecimal("-123456.789"),
                    new BigDecimal("1.500000"),
                    "0.1",
                    "plain text",
                    LocalDate.of(2024, 2, 29),
                    LocalTime.of(13, 14, 15, 123_456_000),
                    LocalDateTime.of(2024, 3, 31, 2, 30, 0, 1_000),
                    Instant.parse("2024-03-31T01:30:00.000001Z"),
                    UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                    "{\"a\": [1, 2.5, null, true], \"s\": \"x\"}",
                    new byte[] {1, 2, 3}
                },
                new Object[] {
                    2L,
                    Integer.MAX_VALUE,
                    Long.MAX_VALUE,
                    Float.MAX_VALUE,
                    Double.MAX_VALUE,
                    true,
                    new BigDecimal("99999999999999999999999999.999999999999"),
                    new BigDecimal("99999999999999999999999999999999999999"),
                    new BigDecimal("99.99"),
                    new BigDecimal("999999.999"),
                    new BigDecimal("999999999999.999999"),
                    "-12345678901234567890.123456789012345678901",
                    TRICKY_TEXT,
                    LocalDate.of(9999, 12, 31),
                    LocalTime.of(23, 59, 59, 999_999_000),
                    LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                    Instant.parse("1965-06-01T12:34:56.123456Z"),
                    UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
                    "{\"s\": \"tab\\there \\\"q\\\" back\\\\slash \\n ü\", \"nested\": {\"k\": [\"\\\\N\"]}}",
                    new byte[] {0, '\\', '\t', '\n', '\r', 'N', (byte) 0xff, 0}
                },
                new Object[] {
                    3L,
                    Integer.MIN_VALUE,
                    Long.MIN_VALUE,
                    Float.MIN_VALUE,
                    Double.MIN_VALUE,
                    false,
                    new BigDecimal("-99999999999999999999999999.999999999999"),
                    new BigDecimal("-99999999999999999999999999999999999999"),
                    new BigDecimal("-99.99"),
                    new BigDecimal("-999999.999"),
                    new BigDecimal("-999999999999.999999"),
                    "0.000000000000000000000000000000000000000001",
                    "",
                    LocalDate.of(1, 1, 1),
                    LocalTime.MIDNIGHT,
                    LocalDateTime.of(1900, 1, 1, 0, 0, 0, 1_000),
                    Instant.parse("1900-01-01T00:00:00.000001Z"),
                    new UUID(0, 0),
                    "[]",
                    new byte[0]
                },
                new Object[] {
                    4L,
                    0,
                    0L,
                    Float.NaN,
                    Double.NEGATIVE_INFINITY,
                    false,
                    BigDecimal.ZERO.setScale(12),
                    BigDecimal.ZERO,
                    new BigDecimal("0.01"),
                    new BigDecimal("0.001"),
                    new BigDecimal("-0.000001"),
                    "123456789012345678901234567890123456789012345678901234567890",
                    " ",
                    LocalDate.of(1970, 1, 1),
                    LocalTime.of(0, 0, 0, 1_000),
                    LocalDateTime.of(1970, 1, 1, 0, 0),
                    Instant.EPOCH.minusNanos(1_000),
                    UUID.fromString("00000000-0000-0000-0000-000000000001"),
                    "\"just a string\"",
                    new byte[] {'\\', 'x', '0', '0'}
                },
                new Object[] {
                    5L, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null
                });
    }
}
