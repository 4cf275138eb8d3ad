package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.planner.PlannerQueries;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's SQL on MySQL and MariaDB: the row estimate of {@code information_schema.TABLES}
 * (InnoDB's estimate; small tables are counted exactly anyway), index columns from
 * {@code information_schema.STATISTICS}, and the key queries of {@link MySqlQueries}.
 *
 * <p>Catalog rows are matched by name with the server's comparison and then exactly in Java:
 * {@code information_schema} compares names case-insensitively on MariaDB, while table names are
 * case-sensitive on most file systems, so {@code Orders} and {@code orders} can both exist.
 */
final class MySqlPlannerQueries implements PlannerQueries {
    static final MySqlPlannerQueries INSTANCE = new MySqlPlannerQueries();

    private static final String TABLE_ROWS = "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    private static final String INDEX_COLUMNS = "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME"
            + " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
            + " ORDER BY INDEX_NAME, SEQ_IN_INDEX";

    private MySqlPlannerQueries() {}

    @Override
    public TableStatistics statistics(Connection c, TableSchema schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TABLE_ROWS)) {
            ps.setString(1, schema.id().schema());
            ps.setString(2, schema.id().table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(schema.id().table())) {
                        return new TableStatistics(false, rs.getLong(2)); // NULL (no estimate) reads as 0
                    }
                }
            }
        }
        throw new SnapshotSourceException("Table " + MySqlIdentifiers.quote(schema.id())
                + " no longer exists in the source database (it was there when the pipeline's tables"
                + " were discovered). Check whether it was dropped or renamed, and the pipeline's table patterns.");
    }

    @Override
    public boolean keyIsIndexed(Connection c, TableSchema schema) throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(INDEX_COLUMNS)) {
            ps.setString(1, schema.id().schema());
            ps.setString(2, schema.id().table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(schema.id().table())) {
                        indexes.computeIfAbsent(rs.getString(2), i -> new ArrayList<>())
                                .add(rs.getString(3));
                    }
                }
            }
        }
        List<String> key = schema.keyColumns();
        return indexes.values().stream()
                .anyMatch(columns -> columns.size() >= key.size()
                        && columns.subList(0, key.size()).equals(key));
    }

    @Override
    public String createIndexHint(TableSchema schema) {
        return "ALTER TABLE " + MySqlIdentifiers.quote(schema.id()) + " ADD INDEX ("
                + MySqlIdentifiers.quoteAll(schema.keyColumns()) + ")";
    }

    /**
     * Not by JSON, and not by ENUM or SET: those sort by their internal number but compare with a
     * bound, which is their label, as strings, so ranges and order would disagree.
     */
    @Override
    public boolean canChunkBy(Column keyColumn) {
        String dataType = MySqlTypes.dataTypeOf(keyColumn.sourceType());
        return keyColumn.type() != ColumnType.JSON && !dataType.equals("enum") && !dataType.equals("set");
    }

    @Override
    public String unchunkableKeyReason() {
        return "a key column is json, enum or set";
    }

    @Override
    public String keylessReadOrder() {
        return "in the server's scan order (a restarted read starts over: MySQL has no row location to resume at)";
    }

    /** Also {@code bigint unsigned}, a DECIMAL(20, 0): cut arithmetically while its values fit a long. */
    @Override
    public boolean isIntegerKey(Column keyColumn) {
        return keyColumn.type() == ColumnType.INT32
                || keyColumn.type() == ColumnType.INT64
                || (keyColumn.type() == ColumnType.DECIMAL
                        && MySqlTypes.dataTypeOf(keyColumn.sourceType()).equals("bigint"));
    }

    @Override
    public String count(TableSchema schema, boolean partitioned) {
        return MySqlQueries.count(schema);
    }

    @Override
    public String edgeKey(TableSchema schema, boolean partitioned, boolean descending) {
        return MySqlQueries.edgeKey(schema, descending);
    }

    @Override
    public String nextBoundary(TableSchema schema, boolean partitioned, boolean hasLower, int chunkSize) {
        return MySqlQueries.nextBoundary(schema, hasLower, chunkSize);
    }

    @Override
    public void bindNextBoundaryLower(PreparedStatement ps, TableSchema schema, Object[] lower) throws SQLException {
        MySqlQueries.after(schema).bind(ps, 1, schema, lower);
    }

    @Override
    public String anyNullKey(TableSchema schema, boolean partitioned) {
        return MySqlQueries.anyNullKey(schema);
    }

    @Override
    public Object[] readKey(ResultSet rs, TableSchema schema) throws SQLException {
        ColumnReader[] readers = MySqlColumnReaders.forKey(schema);
        Object[] key = new Object[readers.length];
        for (int part = 0; part < key.length; part++) {
            key[part] = readers[part].read(rs, part + 1);
        }
        return key;
    }
}
