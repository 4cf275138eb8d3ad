package io.eltcdc.destination;

import io.eltcdc.model.TableSchema;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.KeyRange;
import io.eltcdc.model.checksum.RangeChecksum;
import io.eltcdc.model.checksum.RowHash;
import java.util.List;

/**
 * What {@code verify} asks a destination about the target table of a source table, each answer
 * computed by the destination in one query: a key range's row count and checksum, and, for a range
 * that differs, its rows' keys and hashes. Rows are hashed as the source hashes them
 * ({@link io.eltcdc.model.checksum.RowChecksumSql}), over the source's columns only (not the metadata
 * columns); in soft-delete mode, rows marked deleted are not counted. A target table that does not
 * exist has no rows. Safe to call from several threads at once.
 */
public interface TableChecksums extends AutoCloseable {

    /** How the destination keeps JSON values: the source spells them the same way. */
    JsonForm jsonForm();

    /** The target table of {@code table}, as messages name it. */
    String targetName(TableSchema table);

    /** Rows and checksum of the target rows whose key lies in {@code range}. */
    RangeChecksum checksum(TableSchema table, KeyRange range) throws Exception;

    /** Key and hash of the first {@code limit} target rows of {@code range}, in key order. */
    List<RowHash> rowHashes(TableSchema table, KeyRange range, int limit) throws Exception;

    @Override
    default void close() throws Exception {}
}
