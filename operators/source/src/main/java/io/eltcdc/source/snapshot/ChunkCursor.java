package io.eltcdc.source.snapshot;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The open query over one chunk's rows: a single range {@code SELECT} in key order (or physical
 * order), resuming after the split's progress when it has any. Rows stream from the server in
 * batches of the fetch size (the connection is not in autocommit mode), so memory does not grow
 * with the chunk.
 */
final class ChunkCursor implements AutoCloseable {
    private final ChunkSplit split;
    private final Position position;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final RowReader rowReader;
    private final boolean byRowLocation;

    private ChunkCursor(ChunkSplit split, Position position, PreparedStatement statement, ResultSet rows) {
        this.split = split;
        this.position = position;
        this.statement = statement;
        this.rows = rows;
        this.byRowLocation = split.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION;
        this.rowReader = new RowReader(split.schema(), byRowLocation ? 2 : 1);
    }

    /** Runs the chunk's query on {@code connection}, which must not be in autocommit mode. */
    static ChunkCursor open(Connection connection, ChunkSplit split, int fetchSize, Position position)
            throws SQLException {
        TableSchema schema = split.schema();
        boolean byRowLocation = split.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION;
        String after = split.lastRowLocation();
        // A restored chunk continues after the last key it emitted, an exclusive bound like the lower one.
        Object[] lower = split.lastKey() != null ? split.lastKey() : split.lowerBound();
        Object[] upper = split.upperBound();
        String sql = byRowLocation
                ? ChunkQueries.readByRowLocation(schema, split.partitioned(), after != null)
                : ChunkQueries.readKeyRange(schema, split.partitioned(), lower != null, upper != null);
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            if (byRowLocation && after != null) {
                ChunkQueries.bindRowLocation(ps, 1, split.partitioned(), after);
            } else if (!byRowLocation) {
                int index = 1;
                if (lower != null) {
                    index = ChunkQueries.bindKey(ps, index, schema, lower);
                }
                if (upper != null) {
                    ChunkQueries.bindKey(ps, index, schema, upper);
                }
            }
            ps.setFetchSize(fetchSize);
            return new ChunkCursor(split, position, ps, ps.executeQuery());
        } catch (SQLException | RuntimeException e) {
            SourceConnections.closeQuietly(ps);
            throw e;
        }
    }

    ChunkSplit split() {
        return split;
    }

    /** The next row as a snapshot record, or null after the chunk's last row. */
    SnapshotRow next() throws SQLException {
        if (!rows.next()) {
            return null;
        }
        ChangeRecord record = new ChangeRecord(split.schema(), Op.READ, position, rowReader.read(rows));
        return new SnapshotRow(record, byRowLocation ? rows.getString(1) : null);
    }

    @Override
    public void close() {
        SourceConnections.closeQuietly(rows);
        SourceConnections.closeQuietly(statement);
    }
}
