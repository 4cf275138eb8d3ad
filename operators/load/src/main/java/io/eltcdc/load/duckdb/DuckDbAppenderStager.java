package io.eltcdc.load.duckdb;

import io.eltcdc.load.BatchStager;
import io.eltcdc.load.MergeSql;
import io.eltcdc.load.StagedFileReader;
import io.eltcdc.load.UnscaledBytes;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Position;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Fills DuckDB's staging table with the Appender, from the values' Avro form where DuckDB takes
 * it as is (epoch days, day and epoch microseconds, unscaled decimals), so no date, time or
 * BigDecimal objects are made per row.
 */
final class DuckDbAppenderStager implements BatchStager {

    @Override
    public long stage(Connection c, MergeSql sql, List<StagedFileReader> files) throws SQLException, java.io.IOException {
        List<Column> columns = sql.batch().columns();
        long rows = 0;
        try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("temp", "main", MergeSql.STAGE)) {
            for (StagedFileReader file : files) {
                int[] indexes = sql.batch().indexesIn(file.schema());
                while (file.next()) {
                    appender.beginRow();
                    for (int i = 0; i < indexes.length; i++) {
                        Object value = indexes[i] < 0 ? null : file.avroValue(indexes[i]);
                        if (value == null) {
                            appender.appendNull();
                        } else {
                            append(appender, columns.get(i), value);
                        }
                    }
                    appender.append(file.opName());
                    Position position = file.position();
                    appender.appendDecimal(position.low(), position.high());
                    appender.endRow();
                    rows++;
                }
            }
        }
        return rows;
    }

    private static void append(DuckDBAppender appender, Column column, Object value) throws SQLException {
        ColumnType type = column.type();
        switch (type) {
            case INT32 -> appender.append((int) (Integer) value);
            case INT64 -> appender.append((long) (Long) value);
            case FLOAT32 -> appender.append((float) (Float) value);
            case FLOAT64 -> appender.append((double) (Double) value);
            case BOOLEAN -> appender.append((boolean) (Boolean) value);
            case DECIMAL -> appendDecimal(appender, column, (ByteBuffer) value);
            case DECIMAL_TEXT, STRING, JSON -> appender.append(value.toString());
            case DATE -> appender.appendEpochDays((Integer) value);
            case TIME -> appender.appendDayMicros((Long) value);
            case TIMESTAMP, TIMESTAMP_TZ -> appender.appendEpochMicros((Long) value);
            case UUID -> appender.append(UUID.fromString(value.toString()));
            case BYTES -> appender.append(bytes((ByteBuffer) value));
        }
    }

    /**
     * The unscaled value in the width DuckDB stores a DECIMAL of this precision in (16, 32, 64 or 128
     * bits); the Appender takes those directly, which is several times faster than a BigDecimal.
     */
    private static void appendDecimal(DuckDBAppender appender, Column column, ByteBuffer unscaled) throws SQLException {
        long low = UnscaledBytes.low(unscaled);
        int precision = column.precision();
        if (precision <= 18 && UnscaledBytes.high(unscaled) != (low < 0 ? -1 : 0)) {
            throw new ArithmeticException("value of column '" + column.name() + "' exceeds " + column.typeText());
        }
        if (precision <= 4) {
            appender.appendDecimal((short) low);
        } else if (precision <= 9) {
            appender.appendDecimal((int) low);
        } else if (precision <= 18) {
            appender.appendDecimal(low);
        } else {
            appender.appendDecimal(low, UnscaledBytes.high(unscaled));
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
