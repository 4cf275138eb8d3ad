package io.eltcdc.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a table from the source and from a destination as rows of canonical text, one expression
 * per column and side, so the two can be compared value by value: numbers and text as text,
 * times as epoch microseconds, bytes as hex, JSON parsed (key order and spacing do not matter).
 */
public final class TableComparison {
    public enum Dialect {
        POSTGRES,
        DUCKDB
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private record ColumnInfo(String name, String udtName, String dataType) {}

    private TableComparison() {}

    /** Rows of {@code schema.table} in the source, sorted, each as one string. */
    public static List<String> sourceRows(Connection source, String schema, String table) throws SQLException {
        List<ColumnInfo> columns = columns(source, schema, table);
        String select = columns.stream().map(c -> sourceExpr(c)).collect(Collectors.joining(", "));
        return rows(source, "SELECT " + select + " FROM " + q(schema) + "." + q(table), columns);
    }

    /** Rows of the destination's copy, with the source's column list, sorted. */
    public static List<String> destinationRows(
            Connection source, String schema, String table, Connection dest, Dialect dialect, String destSchema)
            throws SQLException {
        List<ColumnInfo> columns = columns(source, schema, table);
        String select = columns.stream().map(c -> destExpr(c, dialect)).collect(Collectors.joining(", "));
        return rows(dest, "SELECT " + select + " FROM " + q(destSchema) + "." + q(table), columns);
    }

    private static List<ColumnInfo> columns(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT column_name, udt_name, data_type FROM information_schema.columns
                WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            List<ColumnInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    private static boolean isJson(ColumnInfo c) {
        return c.udtName.equals("json") || c.udtName.equals("jsonb") || c.dataType.equals("ARRAY");
    }

    private static String sourceExpr(ColumnInfo c) {
        String col = q(c.name);
        return switch (c.udtName) {
            case "time" -> "(extract(epoch from " + col + ") * 1000000)::bigint::text";
            case "timestamp", "timestamptz" -> "(extract(epoch from " + col + ") * 1000000)::bigint::text";
            case "bytea" -> "encode(" + col + ", 'hex')";
            case "bpchar" -> col + "::text"; // PostgreSQL drops char(n) padding in casts
            default -> c.dataType.equals("ARRAY") ? "to_jsonb(" + col + ")::text" : col + "::text";
        };
    }

    private static String destExpr(ColumnInfo c, Dialect d) {
        String col = q(c.name);
        if (d == Dialect.POSTGRES) {
            return switch (c.udtName) {
                case "bpchar" -> "rtrim(" + col + "::text)";
                default -> sourceExpr(new ColumnInfo(c.name, c.udtName, "plain"));
            };
        }
        return switch (c.udtName) {
            case "time" -> "CAST(epoch_us(DATE '1970-01-01' + " + col + ") AS VARCHAR)";
            case "timestamp", "timestamptz" -> "CAST(epoch_us(" + col + ") AS VARCHAR)";
            case "bytea" -> "lower(hex(" + col + "))";
            case "bpchar" -> "rtrim(CAST(" + col + " AS VARCHAR))";
            default -> "CAST(" + col + " AS VARCHAR)";
        };
    }

    private static List<String> rows(Connection c, String sql, List<ColumnInfo> columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 0; i < columns.size(); i++) {
                    String v = rs.getString(i + 1);
                    if (v != null && isJson(columns.get(i))) {
                        v = canonicalJson(v);
                    } else if (v != null && columns.get(i).udtName.equals("float4")) {
                        v = String.valueOf(Float.parseFloat(v)); // "34" and "34.0", "3.4e38" and "3.4e+38"
                    } else if (v != null && columns.get(i).udtName.equals("float8")) {
                        v = String.valueOf(Double.parseDouble(v));
                    }
                    row.append(i == 0 ? "" : " | ").append(v == null ? "NULL" : v);
                }
                out.add(row.toString());
            }
        }
        out.sort(null);
        return out;
    }

    private static String canonicalJson(String text) {
        try {
            return JSON.writeValueAsString(JSON.readValue(text, Object.class));
        } catch (Exception e) {
            return "not JSON: " + text;
        }
    }

    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
