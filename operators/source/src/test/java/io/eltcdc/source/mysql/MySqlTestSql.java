package io.eltcdc.source.mysql;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.TableSplitting;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.ChunkSplitReader;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.testing.TestMySql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

/** Small JDBC and reading helpers for the MySQL tests of this package. */
final class MySqlTestSql {
    private MySqlTestSql() {}

    static void exec(String url, String... statements) throws SQLException {
        try (Connection c = TestMySql.connect(url);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    static long queryLong(String url, String sql, Object... params) throws SQLException {
        try (Connection c = TestMySql.connect(url);
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

    /**
     * A derived table {@code (…) AS g} of one column {@code n} holding 1 to {@code count}: cross
     * joined digits, which every MySQL and MariaDB version runs (no recursive CTE, no sequence engine).
     */
    static String numbers(int count) {
        String digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
                + " UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        int places = Math.max(1, String.valueOf(count).length());
        StringBuilder n = new StringBuilder();
        StringBuilder from = new StringBuilder();
        long weight = 1;
        for (int p = 0; p < places; p++) {
            n.append(p == 0 ? "" : " + ").append("d").append(p).append(".d * ").append(weight);
            from.append(p == 0 ? "" : " CROSS JOIN ")
                    .append(digits)
                    .append(" d")
                    .append(p);
            weight *= 10;
        }
        return "(SELECT " + n + " + 1 AS n FROM " + from + " HAVING n <= " + count + ") AS g";
    }

    static SnapshotSourceConfig config(String url, int chunkSize, String... patterns) {
        return SnapshotSourceConfig.builder()
                .jdbcUrl(url)
                .tablePatterns(List.of(patterns))
                .chunkSize(chunkSize)
                .build();
    }

    static TableSchema schema(String url, String table) throws SQLException {
        return schema(url, table, Map.of());
    }

    static TableSchema schema(String url, String table, Map<String, List<String>> customKeys) throws SQLException {
        try (Connection c = TestMySql.connect(url)) {
            return MySqlCatalog.discover(c, List.of(table), customKeys).get(0);
        }
    }

    /** Plans {@code schema}'s table and makes all its chunks, as the enumerator would. */
    static List<ChunkSplit> allChunks(SnapshotSourceConfig config, TableSchema schema) throws SQLException {
        ChunkPlanner planner = new ChunkPlanner(config.chunkSize(), MySqlPlannerQueries.INSTANCE);
        List<ChunkSplit> chunks = new ArrayList<>();
        try (Connection c = SourceConnections.open(config, "test")) {
            TableSplitting table = new TableSplitting(schema);
            table.planned(planner.plan(c, schema));
            while (!table.done()) {
                chunks.add(planner.nextChunk(c, table));
                if (chunks.size() > 10_000) {
                    throw new IllegalStateException("runaway chunking of " + schema.id());
                }
            }
        }
        return chunks;
    }

    /** Every row of {@code split}, read by a split reader of its own until the split is finished. */
    static List<SnapshotRow> readRows(SnapshotSourceConfig config, ChunkSplit split) throws Exception {
        List<SnapshotRow> rows = new ArrayList<>();
        try (ChunkSplitReader reader = new ChunkSplitReader(config)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            while (true) {
                RecordsWithSplitIds<SnapshotRow> batch = reader.fetch();
                rows.addAll(drain(batch));
                if (batch.finishedSplits().contains(split.splitId())) {
                    return rows;
                }
            }
        }
    }

    static List<SnapshotRow> drain(RecordsWithSplitIds<SnapshotRow> batch) {
        List<SnapshotRow> rows = new ArrayList<>();
        while (batch.nextSplit() != null) {
            SnapshotRow row;
            while ((row = batch.nextRecordFromSplit()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }
}
