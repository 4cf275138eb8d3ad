package io.eltcdc.source.snapshot;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.snapshot.ChunkingPlan.Strategy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts tables into chunks of about {@code chunkSize} rows, one chunk at a time.
 *
 * <p>{@link #plan} looks at a table once (row count, key range) and picks a {@link Strategy}:
 * <ul>
 *   <li>a single integer key whose values fill at least half of {@code [min, max]} is cut
 *       arithmetically, in key ranges of {@code chunkSize / density} values (unique keys: no chunk
 *       holds more rows than its range has values, at most 2 × chunkSize);
 *   <li>any other key (sparse integers, text, uuid, numeric, composite) is cut at keys read from the
 *       table, each {@code chunkSize} rows after the previous: every chunk holds chunkSize rows as
 *       the table stood when it was cut;
 *   <li>an empty table is one unbounded chunk; a table without a usable key is one chunk read in
 *       physical order.
 * </ul>
 * {@link #nextChunk} then makes the table's chunks one by one, as the enumerator needs them.
 */
final class ChunkPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkPlanner.class);

    /** Below this estimate rows are counted exactly (a count of up to a million rows is cheap). */
    static final long EXACT_COUNT_BELOW = 1_000_000;
    /** Integer keys filling less of their range than this are cut at boundaries read from the table. */
    static final double MIN_ARITHMETIC_DENSITY = 0.5;

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

    private final int chunkSize;

    ChunkPlanner(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
        this.chunkSize = chunkSize;
    }

    /** Decides how {@code schema}'s table is cut, and logs the decision. */
    ChunkingPlan plan(Connection c, TableSchema schema) throws SQLException {
        TableStatistics stats = statistics(c, schema);
        boolean partitioned = stats.partitioned();
        boolean exact = stats.estimate() < EXACT_COUNT_BELOW;
        long rows = exact ? count(c, schema, partitioned) : stats.estimate();
        if (!hasChunkableKey(schema)) {
            LOG.warn("Table {} has no {}: it is read as one chunk, by one reader, in physical row order (ctid)."
                            + " To read it in parallel chunks, name columns that identify a row under"
                            + " source.primary-keys, e.g. \"{}\": [id].",
                    schema.id(), schema.hasKey() ? "key usable for chunking (a key column is an array or json)"
                            : "primary key and no key configured", schema.id());
            ChunkingPlan plan = ChunkingPlan.single(Strategy.SINGLE_ROW_LOCATION, partitioned, rows, exact);
            logPlan(schema, plan, null, null);
            return plan;
        }
        checkNoNullKeys(c, schema, partitioned);
        warnIfKeyIsNotIndexed(c, schema);
        Object[] min = edgeKey(c, schema, partitioned, false);
        Object[] max = edgeKey(c, schema, partitioned, true);
        if (rows == 0 || min == null || max == null) {
            ChunkingPlan plan = ChunkingPlan.single(Strategy.SINGLE_KEY, partitioned, 0, exact);
            logPlan(schema, plan, min, max);
            return plan;
        }
        ChunkingPlan plan = isIntegerKey(schema)
                ? integerPlan(partitioned, rows, exact, ((Number) min[0]).longValue(), ((Number) max[0]).longValue())
                : boundaryPlan(partitioned, rows, exact);
        logPlan(schema, plan, min, max);
        return plan;
    }

    /**
     * The next chunk of {@code table} (planned, not done), and {@code table} advanced past it.
     * Chunk bounds: lower exclusive, upper inclusive; the table's first chunk has no lower bound and
     * its last no upper bound.
     */
    ChunkSplit nextChunk(Connection c, TableSplitting table) throws SQLException {
        ChunkingPlan plan = table.plan();
        if (plan == null || table.done()) {
            throw new IllegalStateException("table " + table.schema().id() + " is not planned or already split");
        }
        TableSchema schema = table.schema();
        int index = table.nextChunkIndex();
        switch (plan.strategy()) {
            case SINGLE_ROW_LOCATION -> {
                table.advance(null, true);
                return ChunkSplit.wholeTableByRowLocation(schema, index, plan.partitioned());
            }
            case SINGLE_KEY -> {
                table.advance(null, true);
                return ChunkSplit.keyRange(schema, index, plan.partitioned(), null, null);
            }
            case ARITHMETIC -> {
                return nextArithmeticChunk(table, plan, index);
            }
            default -> {
                return nextBoundaryChunk(c, table, plan, index);
            }
        }
    }

    private ChunkSplit nextArithmeticChunk(TableSplitting table, ChunkingPlan plan, int index) {
        TableSchema schema = table.schema();
        // chunk i holds keys (min + i*width - 1, min + (i+1)*width - 1]; the last one is open-ended
        Long lower = index == 0 ? null : boundAt(plan, index);
        Long upper = boundAt(plan, index + 1L);
        boolean last = upper == null || upper >= plan.max();
        Object[] lowerKey = lower == null ? null : new Object[] {keyValue(schema, lower)};
        Object[] upperKey = last ? null : new Object[] {keyValue(schema, upper)};
        table.advance(upperKey, last);
        return ChunkSplit.keyRange(schema, index, plan.partitioned(), lowerKey, upperKey);
    }

    /** {@code min + i * width - 1}, or null past the range of a long. */
    private static Long boundAt(ChunkingPlan plan, long i) {
        try {
            return Math.addExact(plan.min(), Math.multiplyExact(i, plan.width()) - 1);
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    private ChunkSplit nextBoundaryChunk(Connection c, TableSplitting table, ChunkingPlan plan, int index)
            throws SQLException {
        TableSchema schema = table.schema();
        Object[] lower = table.nextLower();
        Object[] upper;
        try (PreparedStatement ps = c.prepareStatement(
                ChunkQueries.nextBoundary(schema, plan.partitioned(), lower != null, chunkSize))) {
            if (lower != null) {
                ChunkQueries.bindKey(ps, 1, schema, lower);
            }
            try (ResultSet rs = ps.executeQuery()) {
                upper = rs.next() ? readKey(rs, schema) : null;
            }
        }
        table.advance(upper, upper == null);
        return ChunkSplit.keyRange(schema, index, plan.partitioned(), lower, upper);
    }

    private ChunkingPlan integerPlan(boolean partitioned, long rows, boolean exact, long min, long max) {
        double range = (double) max - (double) min + 1;
        double density = rows / range;
        if (density < MIN_ARITHMETIC_DENSITY) {
            return boundaryPlan(partitioned, rows, exact);
        }
        // Unique keys: rows per key value is the density (at most 1), so a chunk of chunkSize rows
        // spans chunkSize / density key values.
        long width = Math.max(1, (long) Math.ceil(chunkSize / Math.min(density, 1.0)));
        long chunks = Math.max(1, (long) Math.ceil(range / width));
        return new ChunkingPlan(Strategy.ARITHMETIC, partitioned, rows, exact, chunks, min, max, width);
    }

    private ChunkingPlan boundaryPlan(boolean partitioned, long rows, boolean exact) {
        long chunks = Math.max(1, (rows + chunkSize - 1) / chunkSize);
        return new ChunkingPlan(Strategy.BOUNDARY, partitioned, rows, exact, chunks, 0, 0, 0);
    }

    private void logPlan(TableSchema schema, ChunkingPlan plan, Object[] min, Object[] max) {
        String how = switch (plan.strategy()) {
            case ARITHMETIC -> "cut arithmetically, " + plan.width() + " key values per chunk";
            case BOUNDARY -> "cut at keys read from the table, " + chunkSize + " rows per chunk";
            case SINGLE_KEY -> "one chunk (the table is empty)";
            case SINGLE_ROW_LOCATION -> "one chunk in physical row order (no usable key)";
        };
        String keyRange = schema.hasKey() && min != null
                ? "key " + schema.keyColumns() + " from " + Arrays.deepToString(min) + " to " + Arrays.deepToString(max)
                : "key " + (schema.hasKey() ? schema.keyColumns() + " (no rows)" : "none");
        LOG.info("Snapshot plan for {}: {} rows ({}), {}; {}; about {} chunk(s)", schema.id(), plan.rowCount(),
                plan.exactCount() ? "counted" : "catalog estimate", keyRange, how, plan.estimatedChunks());
    }

    /** A key is usable for chunking when every part can be compared and bound back (not json/arrays). */
    static boolean hasChunkableKey(TableSchema schema) {
        if (!schema.hasKey()) {
            return false;
        }
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            if (schema.columns().get(schema.keyIndex(part)).type() == ColumnType.JSON) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIntegerKey(TableSchema schema) {
        if (schema.keyColumns().size() != 1) {
            return false;
        }
        ColumnType type = schema.columns().get(schema.keyIndex(0)).type();
        return type == ColumnType.INT32 || type == ColumnType.INT64;
    }

    private static Object keyValue(TableSchema schema, long value) {
        return schema.columns().get(schema.keyIndex(0)).type() == ColumnType.INT32 ? (Object) (int) value : (Object) value;
    }

    private record TableStatistics(boolean partitioned, long estimate) {}

    private static TableStatistics statistics(Connection c, TableSchema schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TABLE_STATISTICS)) {
            ps.setString(1, schema.id().schema());
            ps.setString(2, schema.id().table());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SnapshotSourceException("Table " + SqlIdentifiers.quote(schema.id())
                            + " no longer exists in the source database (it was there when the pipeline's tables"
                            + " were discovered). Check whether it was dropped or renamed, and the pipeline's table patterns.");
                }
                return new TableStatistics("p".equals(rs.getString(1)), (long) rs.getDouble(2));
            }
        }
    }

    private static long count(Connection c, TableSchema schema, boolean partitioned) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ChunkQueries.count(schema, partitioned))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A configured key may have nullable columns; rows with a NULL key part fall in no key range and
     * would silently be missed, so such a table stops the snapshot with a message instead.
     */
    private static void checkNoNullKeys(Connection c, TableSchema schema, boolean partitioned) throws SQLException {
        boolean nullable = false;
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            nullable |= schema.columns().get(schema.keyIndex(part)).nullable();
        }
        if (!nullable) {
            return;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(ChunkQueries.anyNullKey(schema, partitioned))) {
            rs.next();
            if (rs.getBoolean(1)) {
                throw new SnapshotSourceException("Table " + schema.id() + " has rows with NULL in its key columns "
                        + schema.keyColumns() + " (configured under source.primary-keys). Rows are keyed, chunked"
                        + " and merged by that key, so every key column must hold a value: choose columns that are"
                        + " NOT NULL and identify a row.");
            }
        }
    }

    /**
     * Chunk queries filter and sort by the key; without an index led by the key columns (in key
     * order) each of them sorts the whole table. A primary key always has one; a configured key
     * may not.
     */
    private static void warnIfKeyIsNotIndexed(Connection c, TableSchema schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INDEX_COLUMNS)) {
            ps.setString(1, SqlIdentifiers.quote(schema.id()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> indexed = Arrays.asList((String[]) rs.getArray(1).getArray());
                    if (indexed.size() >= schema.keyColumns().size()
                            && indexed.subList(0, schema.keyColumns().size()).equals(schema.keyColumns())) {
                        return;
                    }
                }
            }
        }
        LOG.warn("Table {} has no index led by its key columns {}: every chunk query will sort the table."
                + " Create one (CREATE INDEX ON {} ({})) before the snapshot of a large table.", schema.id(),
                schema.keyColumns(), SqlIdentifiers.quote(schema.id()), SqlIdentifiers.quoteAll(schema.keyColumns()));
    }

    private static Object[] edgeKey(Connection c, TableSchema schema, boolean partitioned, boolean descending)
            throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(ChunkQueries.edgeKey(schema, partitioned, descending))) {
            return rs.next() ? readKey(rs, schema) : null;
        }
    }

    /** The key columns of the current row, selected in key order from column 1. */
    private static Object[] readKey(ResultSet rs, TableSchema schema) throws SQLException {
        Object[] key = new Object[schema.keyColumns().size()];
        for (int part = 0; part < key.length; part++) {
            Column column = schema.columns().get(schema.keyIndex(part));
            key[part] = ColumnReader.of(column.type()).read(rs, part + 1);
        }
        return key;
    }
}
