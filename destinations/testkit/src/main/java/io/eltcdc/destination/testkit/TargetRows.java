package io.eltcdc.destination.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Reads a target table back into pipeline values, made comparable: bytes as hex text, JSON as
 * parsed trees (destinations may normalise its spacing), everything else as the pipeline's Java
 * value.
 */
public final class TargetRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TargetRows() {}

    /** Rows of {@code table} (SQL name), the given columns in order, sorted by {@code orderBy}. */
    public static List<List<Object>> read(Connection c, String table, List<Column> columns, String orderBy)
            throws SQLException {
        String select = "SELECT "
                + SqlIdentifiers.list(columns.stream().map(Column::name).toList()) + " FROM " + table + " ORDER BY "
                + orderBy;
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(select)) {
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.add(comparable(columns.get(i), value(r, i + 1, columns.get(i))));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The expected rows in the same comparable form. */
    public static List<List<Object>> expected(List<Column> columns, List<Object[]> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Object[] row : rows) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                values.add(comparable(columns.get(i), row[i]));
            }
            out.add(values);
        }
        return out;
    }

    public static List<List<Object>> expected(List<Column> columns, Object[]... rows) {
        return expected(columns, Arrays.asList(rows));
    }

    private static Object value(ResultSet r, int i, Column column) throws SQLException {
        if (r.getObject(i) == null) {
            return null;
        }
        return switch (column.type()) {
            case INT32 -> r.getInt(i);
            case INT64 -> r.getLong(i);
            case FLOAT32 -> r.getFloat(i);
            case FLOAT64 -> r.getDouble(i);
            case BOOLEAN -> r.getBoolean(i);
            case DECIMAL -> r.getBigDecimal(i);
            case DECIMAL_TEXT, STRING, JSON -> r.getString(i);
            case DATE -> r.getObject(i, LocalDate.class);
            case TIME -> r.getObject(i) instanceof LocalTime t ? t : r.getObject(i, LocalTime.class);
            case TIMESTAMP -> r.getObject(i, LocalDateTime.class);
            case TIMESTAMP_TZ -> r.getObject(i, OffsetDateTime.class).toInstant();
            case UUID -> UUID.fromString(r.getString(i));
            case BYTES -> r.getBytes(i);
        };
    }

    private static Object comparable(Column column, Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.type()) {
            case BYTES -> "0x" + HexFormat.of().formatHex((byte[]) value);
            case JSON -> {
                try {
                    yield JSON.readTree((String) value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            default -> value;
        };
    }
}
