package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableSchema;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a table's row (all columns of its schema, in order) from a result set positioned on it. */
final class RowReader {
    private final ColumnReader[] readers;
    private final int firstIndex;

    /**
     * @param firstIndex the JDBC index of the schema's first column in the result (1, or 2 when the
     *     query selects a row locator first)
     */
    RowReader(TableSchema schema, int firstIndex) {
        this.readers = schema.columns().stream().map(c -> ColumnReader.of(c.type())).toArray(ColumnReader[]::new);
        this.firstIndex = firstIndex;
    }

    Object[] read(ResultSet rs) throws SQLException {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = readers[i].read(rs, firstIndex + i);
        }
        return values;
    }
}
