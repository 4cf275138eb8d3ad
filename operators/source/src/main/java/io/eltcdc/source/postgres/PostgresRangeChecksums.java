package io.eltcdc.source.postgres;

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

/** {@code verify}'s queries on a PostgreSQL chunk: its key range as the chunk queries select it. */
final class PostgresRangeChecksums implements RangeChecksums {
    static final PostgresRangeChecksums INSTANCE = new PostgresRangeChecksums();

    private PostgresRangeChecksums() {}

    @Override
    public RangeChecksum checksum(Connection c, ChunkSplit range, JsonForm json) throws SQLException {
        PostgresChecksumSql sql = new PostgresChecksumSql(json);
        String query = "SELECT count(*), sum(" + sql.rowHash(range.schema()) + ") FROM " + from(range);
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
        PostgresChecksumSql sql = new PostgresChecksumSql(json);
        TableSchema schema = range.schema();
        String query = "SELECT " + sql.keyText(schema) + ", " + sql.rowHash(schema) + " FROM " + from(range)
                + (schema.hasKey() ? " ORDER BY " + PostgresChunkQueries.keyOrder(schema, false) : "")
                + " LIMIT " + limit;
        List<RowHash> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setFetchSize(10_000);
            bind(ps, range);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RowHash(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return rows;
    }

    /** The relation and, for a key range, its condition with parameters. */
    private static String from(ChunkSplit range) {
        TableSchema schema = range.schema();
        StringBuilder sql = new StringBuilder(PostgresChunkQueries.relation(schema.id(), range.partitioned()));
        if (range.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION) {
            return sql.toString();
        }
        String key = PostgresChunkQueries.keyTuple(schema);
        String parameters = PostgresChunkQueries.keyParameters(schema);
        List<String> conditions = new ArrayList<>();
        if (range.lowerBound() != null) {
            conditions.add(key + " > " + parameters);
        }
        if (range.upperBound() != null) {
            conditions.add(key + " <= " + parameters);
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
        int index = 1;
        if (range.lowerBound() != null) {
            index = PostgresChunkQueries.bindKey(ps, index, range.schema(), range.lowerBound());
        }
        if (range.upperBound() != null) {
            PostgresChunkQueries.bindKey(ps, index, range.schema(), range.upperBound());
        }
    }
}
