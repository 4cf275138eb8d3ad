package io.eltcdc.source.snapshot;

import io.eltcdc.source.dialect.ChunkRows;
import io.eltcdc.source.dialect.SnapshotRow;
import io.eltcdc.source.dialect.SourceDialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

/**
 * Reads the chunks assigned to one reader, one at a time, each with a single range query on its own
 * read-only transaction. Each {@link #fetch()} hands over up to {@value #MAX_ROWS_PER_FETCH} rows,
 * and marks the chunk finished with the batch that holds its last row.
 *
 * <p>A chunk's rows stream in as the dialect reads them ({@link SourceDialect#openChunk}: binary COPY
 * data on PostgreSQL, a streamed result set on MySQL). The connection comes from the reader's
 * {@link ReaderConnections} and goes back there when this split reader closes between chunks; closed
 * in the middle of a chunk (or after a failure), it abandons the connection
 * ({@link SourceDialect#abandon}), which also ends the chunk's query.
 */
public final class ChunkSplitReader implements SplitReader<SnapshotRow, ChunkSplit> {
    public static final int MAX_ROWS_PER_FETCH = 2048;

    private final SnapshotSourceConfig config;
    private final ReaderConnections connections;
    private final boolean ownsConnections;
    private final Deque<ChunkSplit> queued = new ArrayDeque<>();
    private Connection connection;
    private ChunkRows cursor;

    /** A split reader with a connection of its own, closed with it. */
    public ChunkSplitReader(SnapshotSourceConfig config) {
        this(config, new ReaderConnections(config), true);
    }

    /** A split reader taking its connection from (and giving it back to) the reader's {@code connections}. */
    public ChunkSplitReader(SnapshotSourceConfig config, ReaderConnections connections) {
        this(config, connections, false);
    }

    private ChunkSplitReader(SnapshotSourceConfig config, ReaderConnections connections, boolean ownsConnections) {
        this.config = config;
        this.connections = connections;
        this.ownsConnections = ownsConnections;
    }

    @Override
    public RecordsWithSplitIds<SnapshotRow> fetch() throws IOException {
        RecordsBySplits.Builder<SnapshotRow> batch = new RecordsBySplits.Builder<>();
        if (cursor == null && !openNextChunk()) {
            return batch.build();
        }
        ChunkSplit split = cursor.split();
        String splitId = split.splitId();
        try {
            for (int n = 0; n < MAX_ROWS_PER_FETCH; n++) {
                SnapshotRow row = cursor.next();
                if (row == null) {
                    finishChunk();
                    batch.addFinishedSplit(splitId);
                    break;
                }
                batch.add(splitId, row);
            }
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw new IOException(
                    "Reading chunk " + split + " of table " + split.table() + " from the source database "
                            + config.redactedUrl() + " failed: " + e.getMessage()
                            + ". Check that the database is reachable and the table and its columns are unchanged.",
                    e);
        }
        return batch.build();
    }

    /** Starts the query of the next queued chunk; false when none is queued. */
    private boolean openNextChunk() throws IOException {
        ChunkSplit split = queued.poll();
        if (split == null) {
            return false;
        }
        try {
            if (connection == null) {
                connection = connections.take();
            }
            cursor = config.dialect().openChunk(connection, split, split.position());
            return true;
        } catch (SQLException | RuntimeException e) {
            discardConnection();
            throw new IOException(
                    "Could not start reading chunk " + split + " of table " + split.table()
                            + " from the source database " + config.redactedUrl() + ": " + e.getMessage()
                            + ". Check that the table still exists and the user may read it.",
                    e);
        }
    }

    /** Ends the chunk's transaction, so the server need not keep its snapshot while the next is read. */
    private void finishChunk() throws SQLException {
        ChunkRows finished = cursor;
        cursor = null;
        finished.close();
        connection.commit();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ChunkSplit> splitsChanges) {
        if (!(splitsChanges instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "unsupported split change " + splitsChanges.getClass().getSimpleName());
        }
        queued.addAll(splitsChanges.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() returns after at most MAX_ROWS_PER_FETCH rows; nothing to interrupt.
    }

    @Override
    public void close() {
        if (cursor == null && connection != null) {
            connections.giveBack(connection); // between chunks: no transaction open
            connection = null;
        } else {
            discardConnection();
        }
        if (ownsConnections) {
            connections.close();
        }
    }

    private void discardConnection() {
        cursor = null;
        if (connection != null) {
            config.dialect().abandon(connection);
        }
        connection = null;
    }
}
