package io.eltcdc.source.mysql;

import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import io.eltcdc.source.dialect.RangeChecksums;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@code verify}'s queries on a MySQL chunk: its key range as the chunk queries select it. */
final class MySqlRangeChecksums implements RangeChecksums {
    static final MySqlRangeChecksums INSTANCE = new MySqlRangeChecksums();

    private MySqlRangeChecksums() {}

    @Override
    public RangeChecksum checksum(Connection c, ChunkSplit range, JsonForm json) throws SQLException {
        MySqlChecksumSql sql = new MySqlChecksumSql(json);
        String query = "SELECT COUNT(*), SUM(" + sql.rowHash(range.schema()) + ") FROM " + from(range);
        try (PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return RangeChecksum.of(rs.getLong(1), rs.getBigDecimal(2));
            }
        }
    }

    @Override
    public List<RowHash> rowHashes(Connection c, ChunkSplit range, JsonForm json, int limit) throws SQLException {
        MySqlChecksumSql sql = new MySqlChecksumSql(json);
        TableSchema schema = range.schema();
        String query = "SELECT " + sql.keyText(schema) + ", " + sql.rowHash(schema) + " FROM " + from(range)
                + (schema.hasKey() ? " ORDER BY " + MySqlQueries.keyOrder(schema, false) : "")
                + " LIMIT " + limit;
        List<RowHash> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RowHash(rs.getString(1), rs.getBigDecimal(2).longValue()));
                }
            }
        }
        return rows;
    }

    private static String from(ChunkSplit range) {
        TableSchema schema = range.schema();
        StringBuilder sql = new StringBuilder(MySqlQueries.table(schema));
        if (range.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION) {
            return sql.toString();
        }
        List<String> conditions = new ArrayList<>();
        if (range.lowerBound() != null) {
            conditions.add("(" + MySqlQueries.after(schema).sql() + ")");
        }
        if (range.upperBound() != null) {
            conditions.add("(" + MySqlQueries.atMost(schema).sql() + ")");
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        return sql.toString();
    }

    private static void bind(PreparedStatement ps, ChunkSplit range) throws SQLException {
        if (range.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION) {
            return;
        }
        TableSchema schema = range.schema();
        int index = 1;
        if (range.lowerBound() != null) {
            index = MySqlQueries.after(schema).bind(ps, index, schema, range.lowerBound());
        }
        if (range.upperBound() != null) {
            MySqlQueries.atMost(schema).bind(ps, index, schema, range.upperBound());
        }
    }
}
