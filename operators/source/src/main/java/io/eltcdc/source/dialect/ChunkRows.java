package io.eltcdc.source.dialect;

import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.SQLException;

/**
 * The open query over one chunk's rows, as a dialect runs it ({@link SourceDialect#openChunk}):
 * PostgreSQL's binary COPY ({@code PostgresChunkCursor}), MySQL's streamed range SELECT
 * ({@code MySqlChunkReader}). Rows are taken one at a time, so memory does not grow with the chunk.
 */
public interface ChunkRows {
    ChunkSplit split();

    /** The next row as a snapshot record, or null after the chunk's last row. */
    SnapshotRow next() throws SQLException;

    /**
     * Releases the query's statement after its last row, before the caller ends the transaction.
     * Not for abandoning a chunk in the middle: that is {@link SourceDialect#abandon}.
     */
    void close() throws SQLException;
}
