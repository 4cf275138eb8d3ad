package io.eltcdc.source.mysql;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ChunkRows;
import io.eltcdc.source.dialect.ColumnReader;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The open query over one chunk of a MySQL or MariaDB table: a single range {@code SELECT} in key
 * order, resuming after the split's last emitted key when it has one, its rows streamed.
 *
 * <p>Streaming: a forward-only, read-only statement with fetch size {@code Integer.MIN_VALUE} makes
 * Connector/J read the result row by row off the socket instead of buffering it all, and the server
 * sends as fast as the reader takes (TCP flow control holds it back), so memory stays bounded
 * whatever the chunk's size. Not a server-side cursor ({@code useCursorFetch}): for a query with
 * {@code ORDER BY} the server would first materialise the whole chunk in a temporary table. While
 * the result streams, the connection runs nothing else; a reader that stops in the middle abandons
 * the connection ({@link MySqlDialect#abandon}), since closing the result set would first read the
 * rest of it.
 *
 * <p>A table without a usable key (a {@link ChunkSplit.ReadOrder#ROW_LOCATION} chunk) is read with
 * no {@code ORDER BY} at all: MySQL has no row location to order by and resume after (InnoDB's
 * hidden row id is not visible to SQL). Its rows carry no location, so a checkpoint stores the chunk
 * without progress, and a restored chunk reads the whole table again from its first row; the rows
 * emitted before the failure are emitted a second time. (Name a key under {@code source.primary-keys}
 * to avoid it.)
 */
final class MySqlChunkReader implements ChunkRows {
    private final ChunkSplit split;
    private final Position position;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final ColumnReader[] readers;

    private MySqlChunkReader(ChunkSplit split, Position position, PreparedStatement statement, ResultSet rows) {
        this.split = split;
        this.position = position;
        this.statement = statement;
        this.rows = rows;
        this.readers = MySqlColumnReaders.forRow(split.schema());
    }

    /** Starts the chunk's query on {@code connection} (not in autocommit mode). */
    static MySqlChunkReader open(Connection connection, ChunkSplit split, Position position) throws SQLException {
        TableSchema schema = split.schema();
        String sql;
        Object[] lower = null;
        Object[] upper = null;
        if (split.readOrder() == ChunkSplit.ReadOrder.ROW_LOCATION) {
            sql = MySqlQueries.readAll(schema); // from the start, even when restored with progress (see above)
        } else {
            // A restored chunk continues after the last key it emitted, an exclusive bound like the lower one.
            lower = split.lastKey() != null ? split.lastKey() : split.lowerBound();
            upper = split.upperBound();
            sql = MySqlQueries.readKeyRange(schema, lower != null, upper != null);
        }
        PreparedStatement statement =
                connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        try {
            statement.setFetchSize(Integer.MIN_VALUE); // stream, see the class comment
            int index = 1;
            if (lower != null) {
                index = MySqlQueries.after(schema).bind(statement, index, schema, lower);
            }
            if (upper != null) {
                MySqlQueries.atMost(schema).bind(statement, index, schema, upper);
            }
            return new MySqlChunkReader(split, position, statement, statement.executeQuery());
        } catch (SQLException | RuntimeException e) {
            SourceConnections.closeQuietly(statement);
            throw e;
        }
    }

    @Override
    public ChunkSplit split() {
        return split;
    }

    @Override
    public SnapshotRow next() throws SQLException {
        if (!rows.next()) {
            return null;
        }
        Object[] values = new Object[readers.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = readers[i].read(rows, i + 1);
        }
        return new SnapshotRow(new ChangeRecord(split.schema(), Op.READ, position, values), null);
    }

    /** After the last row: the result is fully read, so closing it costs nothing. */
    @Override
    public void close() throws SQLException {
        try {
            rows.close();
        } finally {
            statement.close();
        }
    }
}
