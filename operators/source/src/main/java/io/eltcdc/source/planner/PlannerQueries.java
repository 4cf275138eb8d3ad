package io.eltcdc.source.planner;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The database-specific part of planning and cutting a table ({@link ChunkPlanner}): the catalog's
 * row estimate, the SQL of the key queries, and how keys are bound and read back.
 *
 * <p>Whatever the dialect, keys are compared by the server only: bounds are read from the table and
 * bound back as they were read, and every query compares and orders keys the same way (the
 * column's type and collation), so the chunks cover the table without gap or overlap. The planner
 * never compares keys in Java (except integer keys, whose order is the numbers').
 */
public interface PlannerQueries {

    /**
     * A table's row estimate from the catalog, and whether it is partitioned (read with its
     * partitions; MySQL tables never are, as far as the snapshot is concerned).
     */
    record TableStatistics(boolean partitioned, long rowEstimate) {}

    /**
     * The table's statistics.
     *
     * @throws SnapshotSourceException when the table no longer exists
     */
    TableStatistics statistics(Connection c, TableSchema schema) throws SQLException;

    /** Whether an index of the table is led by the key columns, in key order. */
    boolean keyIsIndexed(Connection c, TableSchema schema) throws SQLException;

    /** The statement that would create such an index, for the warning when there is none. */
    String createIndexHint(TableSchema schema);

    /** Whether chunk bounds can be compared and bound on a key column of this type. */
    boolean canChunkBy(Column keyColumn);

    /** Why {@link #canChunkBy} refuses a column, for the log: {@code a key column is an array or json}. */
    String unchunkableKeyReason();

    /** How a table without a usable key is read as one chunk, for the log. */
    String keylessReadOrder();

    /**
     * Whether a one-column key of this type holds integers that may be cut arithmetically: values
     * of {@link io.eltcdc.model.ColumnType#INT32}, {@code INT64} or an integer {@code DECIMAL}.
     */
    boolean isIntegerKey(Column keyColumn);

    String count(TableSchema schema, boolean partitioned);

    /** The smallest ({@code descending = false}) or largest key of the table, its parts from column 1. */
    String edgeKey(TableSchema schema, boolean partitioned, boolean descending);

    /**
     * The key {@code chunkSize} rows after a lower bound (bound by {@link #bindNextBoundaryLower}) or
     * after the start, its parts from column 1; no row when fewer remain.
     */
    String nextBoundary(TableSchema schema, boolean partitioned, boolean hasLower, int chunkSize);

    /** Binds the lower bound of a {@link #nextBoundary} query. */
    void bindNextBoundaryLower(PreparedStatement ps, TableSchema schema, Object[] lower) throws SQLException;

    /** One row, one boolean column: whether a row has NULL in a key column. */
    String anyNullKey(TableSchema schema, boolean partitioned);

    /** The key selected by {@link #edgeKey} or {@link #nextBoundary}, as the key columns' Java values. */
    Object[] readKey(ResultSet rs, TableSchema schema) throws SQLException;
}
