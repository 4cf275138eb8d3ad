package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.sql.BatchStager;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.MergeSql;
import io.eltcdc.destination.staged.StagedFileReader;
import io.eltcdc.destination.staged.StagedKeys;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.destination.staged.UnscaledBytes;
import io.eltcdc.model.Column;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Fills DuckDB's staging table with the Appender, from the values' primitive Avro form as the
 * file reader decodes them (epoch days, day and epoch microseconds, unscaled decimals, numbers
 * unboxed), so no objects are made per value except the Strings the Appender takes text as.
 */
final class DuckDbAppenderStager implements BatchStager {

    @Override
    public StagedRows stage(Connection c, MergeSql sql, List<StagedFileReader> files) throws SQLException, IOException {
        List<Column> columns = sql.batch().columns();
        StagedKeys keys = new StagedKeys(sql.batch());
        long rows = 0;
        boolean withUnchanged = false; // the staging table gets the column with the first record that needs it
        DuckDBAppender appender = appender(c);
        try {
            for (StagedFileReader file : files) {
                int[] indexes = sql.batch().indexesIn(file.schema());
                keys.startFile(file);
                while (file.next()) {
                    String unchanged = keys.unchangedText(file);
                    if (unchanged != null && !withUnchanged) {
                        appender.close();
                        JdbcStatements.execute(c, sql.addUnchangedColumnToStage());
                        appender = appender(c);
                        withUnchanged = true;
                    }
                    appender.beginRow();
                    for (int i = 0; i < indexes.length; i++) {
                        int column = indexes[i];
                        if (column < 0 || file.isNull(column)) {
                            appender.appendNull();
                        } else {
                            append(appender, columns.get(i), file, column);
                        }
                    }
                    appender.append(file.opName());
                    ByteBuffer position = file.positionBytes();
                    appender.appendDecimal(UnscaledBytes.low(position), UnscaledBytes.high(position));
                    if (withUnchanged) {
                        if (unchanged == null) {
                            appender.appendNull();
                        } else {
                            appender.append(unchanged);
                        }
                    }
                    appender.endRow();
                    keys.add(file);
                    rows++;
                }
            }
        } catch (Throwable e) {
            try {
                appender.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        appender.close();
        return keys.result(rows);
    }

    private static DuckDBAppender appender(Connection c) throws SQLException {
        return c.unwrap(DuckDBConnection.class).createAppender("temp", "main", MergeSql.STAGE);
    }

    private static void append(DuckDBAppender appender, Column column, StagedFileReader file, int index)
            throws SQLException {
        switch (column.type()) {
            case INT32 -> appender.append(file.intValue(index));
            case INT64 -> appender.append(file.longValue(index));
            case FLOAT32 -> appender.append(file.floatValue(index));
            case FLOAT64 -> appender.append(file.doubleValue(index));
            case BOOLEAN -> appender.append(file.booleanValue(index));
            case DECIMAL -> appendDecimal(appender, column, file.bytes(index));
            case DECIMAL_TEXT, STRING, JSON -> appender.append(file.text(index).toString());
            case DATE -> appender.appendEpochDays(file.intValue(index));
            case TIME -> appender.appendDayMicros(file.longValue(index));
            case TIMESTAMP, TIMESTAMP_TZ -> appender.appendEpochMicros(file.longValue(index));
            case UUID -> appender.append(UUID.fromString(file.text(index).toString()));
            case BYTES -> appender.append(bytes(file.bytes(index)));
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
