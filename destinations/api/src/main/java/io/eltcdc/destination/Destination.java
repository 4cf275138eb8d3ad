package io.eltcdc.destination;

import io.eltcdc.model.TableSchema;
import java.util.List;
import java.util.Optional;

/**
 * A warehouse or database that staged files are loaded into. One implementation per destination
 * type; the load committer calls it once per table and batch.
 *
 * <p>Contract of {@link #load}: exactly once in effect. The files of a batch are loaded together,
 * merged into the target by key where the table has one (per key the record with the highest
 * {@code _elt_position} wins; a DELETE removes the row; a row whose target position is already
 * higher is left alone), and the batch id is recorded in the destination's ledger in the same
 * transaction. A batch whose id the ledger already holds changes nothing and returns
 * {@link LoadResult#alreadyLoaded()}.
 */
public interface Destination extends AutoCloseable {

    /**
     * Creates the target table of each schema where it is missing (and adds missing columns), so
     * that every selected table exists in the destination, also those without rows.
     */
    void createTables(List<TableSchema> tables) throws Exception;

    /** Loads one batch of one table; see the interface's contract. */
    LoadResult load(LoadBatch batch) throws Exception;

    /**
     * Whether {@link #load} honours {@link LoadBatch#replacesTable()} (drops the target table first
     * when the batch is not in the ledger yet), which re-syncing a table needs.
     */
    default boolean supportsReplacingTables() {
        return false;
    }

    /**
     * What {@code verify} compares the destination's tables with, or empty where this destination
     * cannot answer it yet (the caller says so and names the destination's type).
     */
    default Optional<TableChecksums> checksums() {
        return Optional.empty();
    }

    /**
     * Whether {@link #load} honours {@link LoadBatch#keepsTombstones()} and
     * {@link LoadBatch#purgesTombstones()}: a DELETE loaded before the snapshot row of its key (of
     * lower position) keeps the key deleted, also in hard-delete mode, once the table's snapshot is
     * complete. Reading the change log while a snapshot runs needs it.
     */
    default boolean supportsTombstones() {
        return false;
    }

    /** Releases connections and files; the destination may be used again after this (it reopens). */
    @Override
    void close() throws Exception;
}
