package io.eltcdc.source.dialect;

import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What {@code verify} asks the source about a chunk (a key range cut by the snapshot's planner, or a
 * whole table without a key), each answer computed by the database in one query: the range's row
 * count and checksum, and, for a range that differs, its rows' keys and hashes. Values are spelled
 * by the database's {@link io.eltcdc.model.checksum.RowChecksumSql}, so they hash as the destination's
 * equal values do.
 */
public interface RangeChecksums {

    /** Rows and checksum of the rows of {@code range}. */
    RangeChecksum checksum(Connection c, ChunkSplit range, JsonForm json) throws SQLException;

    /** Key and hash of the first {@code limit} rows of {@code range}, in key order. */
    List<RowHash> rowHashes(Connection c, ChunkSplit range, JsonForm json, int limit) throws SQLException;
}
