package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.planner.PlannerQueries;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The planner's SQL on PostgreSQL: the catalog's {@code reltuples} (summed over the leaf partitions
 * of a partitioned table), index columns from {@code pg_index}, and the key queries of
 * {@link PostgresChunkQueries} (row-value comparisons, parameters cast to the key columns' types).
 */
public final class PostgresPlannerQueries implements PlannerQueries {
    public static final PostgresPlannerQueries INSTANCE = new PostgresPlannerQueries();

    private static final String TABLE_STATISTICS = "SELECT c.relkind,"
            + " CASE WHEN c.relkind = 'p' THEN COALESCE((SELECT CASE WHEN bool_or(l.reltuples < 0) THEN -1"
            + "   ELSE sum(l.reltuples) END FROM pg_partition_tree(c.oid) t JOIN pg_class l ON l.oid = t.relid"
            + "   WHERE t.isleaf), -1)"
            + " ELSE c.reltuples END"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";

    /** Key columns of each index of a table, in index order (an array of names per index). */
    private static final String INDEX_COLUMNS = "SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i"
            + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            + " WHERE i.indrelid = to_regclass(?) GROUP BY i.indexrelid";

    private PostgresPlannerQueries() {}

    @Override
    public TableStatistics statistics(Connection c, TableSchema schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TABLE_STATISTICS)) {
            ps.setString(1, schema.id().schema());
            ps.setString(2, schema.id().table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SnapshotSourceException(
                            "Table " + SqlIdentifiers.quote(schema.id())
                                    + " no longer exists in the source database (it was there when the pipeline's tables"
                                    + " were discovered). Check whether it was dropped or renamed, and the pipeline's table patterns.");
                }
                return new TableStatistics("p".equals(rs.getString(1)), (long) rs.getDouble(2));
            }
        }
    }

    @Override
    public boolean keyIsIndexed(Connection c, TableSchema schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INDEX_COLUMNS)) {
            ps.setString(1, SqlIdentifiers.quote(schema.id()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> indexed =
                            Arrays.asList((String[]) rs.getArray(1).getArray());
                    if (indexed.size() >= schema.keyColumns().size()
                            && indexed.subList(0, schema.keyColumns().size()).equals(schema.keyColumns())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public String createIndexHint(TableSchema schema) {
        return "CREATE INDEX ON " + SqlIdentifiers.quote(schema.id()) + " (" + SqlIdentifiers.list(schema.keyColumns())
                + ")";
    }

    @Override
    public boolean canChunkBy(Column keyColumn) {
        return keyColumn.type() != ColumnType.JSON;
    }

    @Override
    public String unchunkableKeyReason() {
        return "a key column is an array or json";
    }

    @Override
    public String keylessReadOrder() {
        return "in physical row order (ctid)";
    }

    @Override
    public boolean isIntegerKey(Column keyColumn) {
        return keyColumn.type() == ColumnType.INT32 || keyColumn.type() == ColumnType.INT64;
    }

    @Override
    public String count(TableSchema schema, boolean partitioned) {
        return PostgresChunkQueries.count(schema, partitioned);
    }

    @Override
    public String edgeKey(TableSchema schema, boolean partitioned, boolean descending) {
        return PostgresChunkQueries.edgeKey(schema, partitioned, descending);
    }

    @Override
    public String nextBoundary(TableSchema schema, boolean partitioned, boolean hasLower, int chunkSize) {
        return PostgresChunkQueries.nextBoundary(schema, partitioned, hasLower, chunkSize);
    }

    @Override
    public void bindNextBoundaryLower(PreparedStatement ps, TableSchema schema, Object[] lower) throws SQLException {
        PostgresChunkQueries.bindKey(ps, 1, schema, lower);
    }

    @Override
    public String anyNullKey(TableSchema schema, boolean partitioned) {
        return PostgresChunkQueries.anyNullKey(schema, partitioned);
    }

    @Override
    public Object[] readKey(ResultSet rs, TableSchema schema) throws SQLException {
        Object[] key = new Object[schema.keyColumns().size()];
        for (int part = 0; part < key.length; part++) {
            Column column = schema.columns().get(schema.keyIndex(part));
            key[part] = ColumnReader.of(column.type()).read(rs, part + 1);
        }
        return key;
    }
}
