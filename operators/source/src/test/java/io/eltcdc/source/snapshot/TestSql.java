package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.postgres.PostgresCatalog;
import io.eltcdc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small JDBC helpers for the tests on PostgreSQL (of this package, the planner and the postgres package). */
public final class TestSql {
    private TestSql() {}

    public static void exec(String url, String... statements) throws SQLException {
        try (Connection c = TestPostgres.connect(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public static long queryLong(String url, String sql, Object... params) throws SQLException {
        try (Connection c = TestPostgres.connect(url);
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static List<List<Object>> queryRows(String url, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    public static SnapshotSourceConfig config(String url, int chunkSize, String... patterns) {
        return SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of(patterns))
                .chunkSize(chunkSize)
                .build();
    }

    /** The schema of one table, as the source's discovery describes it. */
    public static TableSchema schema(String url, String table) throws SQLException {
        return schema(url, table, Map.of());
    }

    public static TableSchema schema(String url, String table, Map<String, List<String>> customKeys)
            throws SQLException {
        try (Connection c = TestPostgres.connect(url)) {
            return PostgresCatalog.discover(c, List.of(table), customKeys).get(0);
        }
    }
}
