package io.eltcdc.destination.testkit;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.CanonicalRows;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link AllTypes} as verify's checksums are checked against it: without the JSON column (each
 * destination keeps JSON in a form of its own; DuckDB and S3 the text written, PostgreSQL jsonb,
 * Snowflake and BigQuery are not compared) and with {@code 1e-300} for {@code Double.MIN_VALUE} (the
 * float text's {@code POWER(10, exponent - 11)} underflows below about 1e-297, which PostgreSQL
 * refuses with an error on every side that spells it so); the expected answers computed in Java
 * ({@link CanonicalRows}, bit for bit the sources' SQL).
 */
public final class ChecksumRows {
    private ChecksumRows() {}

    public static TableSchema table(TableId id) {
        List<Column> columns = new ArrayList<>(AllTypes.table(id).columns());
        columns.removeIf(c -> c.type() == ColumnType.JSON);
        return new TableSchema(id, columns, List.of("id"));
    }

    public static List<Object[]> rows() {
        int json = AllTypes.table(new TableId("s", "t")).indexOf("c_json");
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : AllTypes.rows()) {
            List<Object> values = new ArrayList<>(Arrays.asList(row));
            values.remove(json);
            for (int i = 0; i < values.size(); i++) {
                if (Double.valueOf(Double.MIN_VALUE).equals(values.get(i))) {
                    values.set(i, 1e-300);
                }
            }
            rows.add(values.toArray());
        }
        return rows;
    }

    /** The count and checksum of {@code rows}. */
    public static RangeChecksum checksum(TableSchema table, List<Object[]> rows) {
        long sum = 0;
        for (Object[] row : rows) {
            sum += CanonicalRows.rowHash(table, row);
        }
        return new RangeChecksum(rows.size(), sum);
    }

    public static RowHash rowHash(TableSchema table, Object[] row) {
        return new RowHash(CanonicalRows.keyText(table, row), CanonicalRows.rowHash(table, row));
    }
}
