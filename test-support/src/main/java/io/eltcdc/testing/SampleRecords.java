package io.eltcdc.testing;

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

/** A table with a column of every {@link ColumnType}, and rows with edge values and NULLs. */
public final class SampleRecords {
    private SampleRecords() {}

    public static TableSchema allTypesTable() {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("id", ColumnType.INT64, 0, 0, false, "int8"));
        columns.add(Column.of("c_int", ColumnType.INT32));
        columns.add(Column.of("c_float", ColumnType.FLOAT32));
        columns.add(Column.of("c_double", ColumnType.FLOAT64));
        columns.add(Column.of("c_bool", ColumnType.BOOLEAN));
        columns.add(Column.decimal("c_decimal", 38, 10));
        columns.add(Column.of("c_decimal_text", ColumnType.DECIMAL_TEXT));
        columns.add(Column.of("Odd \"Name\" ü", ColumnType.STRING));
        columns.add(Column.of("c_date", ColumnType.DATE));
        columns.add(Column.of("c_time", ColumnType.TIME));
        columns.add(Column.of("c_ts", ColumnType.TIMESTAMP));
        columns.add(Column.of("c_tstz", ColumnType.TIMESTAMP_TZ));
        columns.add(Column.of("c_uuid", ColumnType.UUID));
        columns.add(Column.of("c_json", ColumnType.JSON));
        columns.add(Column.of("c_bytes", ColumnType.BYTES));
        return new TableSchema(new TableId("Some Schema", "all.types"), columns, List.of("id"));
    }

    /** Rows for {@link #allTypesTable()}: one of ordinary values, one of extremes, one of NULLs. */
    public static List<Object[]> allTypesRows() {
        return List.of(
                new Object[] {
                    1L,
                    42,
                    1.5f,
                    -2.25,
                    true,
                    new BigDecimal("12345.6789000000"),
                    "0.1",
                    "tab\tnewline\nback\\slash 'quote' €",
                    LocalDate.of(2024, 2, 29),
                    LocalTime.of(13, 14, 15, 123_456_000),
                    LocalDateTime.of(2024, 3, 31, 2, 30, 0, 1_000),
                    Instant.parse("2024-03-31T01:30:00.000001Z"),
                    UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                    "{\"a\": [1, 2]}",
                    new byte[] {0, 1, (byte) 0xff}
                },
                new Object[] {
                    Long.MIN_VALUE,
                    Integer.MAX_VALUE,
                    Float.MAX_VALUE,
                    Double.MIN_VALUE,
                    false,
                    new BigDecimal("-9999999999999999999999999999.9999999999"),
                    "-12345678901234567890.123456789012345678901",
                    "",
                    LocalDate.of(1, 1, 1),
                    LocalTime.of(23, 59, 59, 999_999_000),
                    LocalDateTime.of(1900, 1, 1, 0, 0),
                    Instant.parse("1969-12-31T23:59:59.999999Z"),
                    new UUID(0, 0),
                    "[]",
                    new byte[0]
                },
                new Object[] {3L, null, null, null, null, null, null, null, null, null, null, null, null, null, null});
    }
}
