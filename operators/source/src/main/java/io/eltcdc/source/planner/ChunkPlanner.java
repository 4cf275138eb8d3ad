package io.eltcdc.source.planner;

import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.planner.ChunkingPlan.Strategy;
import io.eltcdc.source.snapshot.ChunkSplit;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
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
 *
 * <p>The algorithm is the same for every source database; the SQL it runs, and how key values are
 * bound and read back, come from the database's {@link PlannerQueries}.
 */
public final class ChunkPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkPlanner.class);

    /** Below this estimate rows are counted exactly (a count of up to a million rows is cheap). */
    static final long EXACT_COUNT_BELOW = 1_000_000;
    /** Integer keys filling less of their range than this are cut at boundaries read from the table. */
    static final double MIN_ARITHMETIC_DENSITY = 0.5;

    private final int chunkSize;
    private final PlannerQueries queries;

    /** A planner running {@code queries}, its source database's SQL ({@link SourceDialect#plannerQueries}). */
    public ChunkPlanner(int chunkSize, PlannerQueries queries) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
        this.chunkSize = chunkSize;
        this.queries = queries;
    }

    /** Decides how {@code schema}'s table is cut, and logs the decision. */
    public ChunkingPlan plan(Connection c, TableSchema schema) throws SQLException {
        PlannerQueries.TableStatistics stats = queries.statistics(c, schema);
        boolean partitioned = stats.partitioned();
        boolean exact = stats.rowEstimate() < EXACT_COUNT_BELOW;
        long rows = exact ? count(c, schema, partitioned) : stats.rowEstimate();
        if (!hasChunkableKey(schema)) {
            LOG.warn(
                    "Table {} has no {}: it is read as one chunk, by one reader, {}."
                            + " To read it in parallel chunks, name columns that identify a row under"
                            + " source.primary-keys, e.g. \"{}\": [id].",
                    schema.id(),
                    schema.hasKey()
                            ? "key usable for chunking (" + queries.unchunkableKeyReason() + ")"
                            : "primary key and no key configured",
                    queries.keylessReadOrder(),
                    schema.id());
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
        Long minInteger = isIntegerKey(schema) ? asLong(min[0]) : null;
        Long maxInteger = isIntegerKey(schema) ? asLong(max[0]) : null;
        ChunkingPlan plan = minInteger != null && maxInteger != null
                ? integerPlan(partitioned, rows, exact, minInteger, maxInteger)
                : boundaryPlan(partitioned, rows, exact);
        logPlan(schema, plan, min, max);
        return plan;
    }

    /**
     * The next chunk of {@code table} (planned, not done), and {@code table} advanced past it.
     * Chunk bounds: lower exclusive, upper inclusive; the table's first chunk has no lower bound and
     * its last no upper bound.
     */
    public ChunkSplit nextChunk(Connection c, TableSplitting table) throws SQLException {
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
        try (PreparedStatement ps =
                c.prepareStatement(queries.nextBoundary(schema, plan.partitioned(), lower != null, chunkSize))) {
            if (lower != null) {
                queries.bindNextBoundaryLower(ps, schema, lower);
            }
            try (ResultSet rs = ps.executeQuery()) {
                upper = rs.next() ? queries.readKey(rs, schema) : null;
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
            case SINGLE_ROW_LOCATION -> "one chunk " + queries.keylessReadOrder() + " (no usable key)";
        };
        String keyRange = schema.hasKey() && min != null
                ? "key " + schema.keyColumns() + " from " + Arrays.deepToString(min) + " to " + Arrays.deepToString(max)
                : "key " + (schema.hasKey() ? schema.keyColumns() + " (no rows)" : "none");
        LOG.info(
                "Snapshot plan for {}: {} rows ({}), {}; {}; about {} chunk(s)",
                schema.id(),
                plan.rowCount(),
                plan.exactCount() ? "counted" : "catalog estimate",
                keyRange,
                how,
                plan.estimatedChunks());
    }

    /**
     * A key is usable for chunking when every part can be compared and bound back (not json or
     * arrays; on MySQL not enum or set either, see {@link PlannerQueries#canChunkBy}).
     */
    boolean hasChunkableKey(TableSchema schema) {
        if (!schema.hasKey()) {
            return false;
        }
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            if (!queries.canChunkBy(schema.columns().get(schema.keyIndex(part)))) {
                return false;
            }
        }
        return true;
    }

    private boolean isIntegerKey(TableSchema schema) {
        return schema.keyColumns().size() == 1
                && queries.isIntegerKey(schema.columns().get(schema.keyIndex(0)));
    }

    /**
     * An integer key value as a long; null when it does not fit one (a MySQL {@code bigint unsigned}
     * above 2^63 - 1, whose table is then cut at boundaries read from it).
     */
    private static Long asLong(Object keyValue) {
        if (keyValue instanceof BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException tooLarge) {
                return null;
            }
        }
        return ((Number) keyValue).longValue();
    }

    /** A bound computed for an integer key, as the key column's Java class. */
    private static Object keyValue(TableSchema schema, long value) {
        return switch (schema.columns().get(schema.keyIndex(0)).type()) {
            case INT32 -> (int) value;
            case DECIMAL -> BigDecimal.valueOf(value);
            default -> value;
        };
    }

    private long count(Connection c, TableSchema schema, boolean partitioned) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(queries.count(schema, partitioned))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A configured key may have nullable columns; rows with a NULL key part fall in no key range and
     * would silently be missed, so such a table stops the snapshot with a message instead.
     */
    private void checkNoNullKeys(Connection c, TableSchema schema, boolean partitioned) throws SQLException {
        boolean nullable = false;
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            nullable |= schema.columns().get(schema.keyIndex(part)).nullable();
        }
        if (!nullable) {
            return;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(queries.anyNullKey(schema, partitioned))) {
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
    private void warnIfKeyIsNotIndexed(Connection c, TableSchema schema) throws SQLException {
        if (queries.keyIsIndexed(c, schema)) {
            return;
        }
        LOG.warn(
                "Table {} has no index led by its key columns {}: every chunk query will sort the table."
                        + " Create one ({}) before the snapshot of a large table.",
                schema.id(),
                schema.keyColumns(),
                queries.createIndexHint(schema));
    }

    private Object[] edgeKey(Connection c, TableSchema schema, boolean partitioned, boolean descending)
            throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(queries.edgeKey(schema, partitioned, descending))) {
            return rs.next() ? queries.readKey(rs, schema) : null;
        }
    }
}
