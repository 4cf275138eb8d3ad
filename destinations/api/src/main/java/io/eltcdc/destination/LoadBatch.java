package io.eltcdc.destination;

import io.eltcdc.model.TableId;
import java.util.List;

/**
 * The committed staged files of one source table that are loaded together.
 *
 * @param pipeline the pipeline's name: ledger rows are kept per pipeline
 * @param table the source table the files hold rows of
 * @param batchId stable id of this set of files (the same files give the same id): the ledger key
 * @param files the staged Avro files, in no particular order; rows carry their own positions
 * @param replacesTable the batch holds a whole new copy of the table (a re-sync): the target table
 *     is dropped before the batch loads, unless the ledger holds the batch already (see
 *     {@link Destination#supportsReplacingTables()})
 * @param keepsTombstones the table's snapshot is not complete yet (the change log is read while the
 *     snapshot runs): snapshot rows of lower positions may still arrive after a DELETE of their key.
 *     In hard-delete mode a DELETE winner is then written as a tombstone, as soft-delete mode writes
 *     it ({@code _elt_deleted = true}, its position, the row's last known values), so that a later
 *     record of lower position loses against it; soft-delete mode is unchanged. See
 *     {@link Destination#supportsTombstones()}.
 * @param purgesTombstones this batch completes the table's snapshot: in hard-delete mode, after its
 *     merge and in the same transaction, the target's rows with {@code _elt_deleted = true} are
 *     deleted. Soft-delete mode: nothing more. A batch the ledger holds already changes nothing, as
 *     always.
 */
public record LoadBatch(
        String pipeline,
        TableId table,
        String batchId,
        List<StagedFile> files,
        boolean replacesTable,
        boolean keepsTombstones,
        boolean purgesTombstones) {
    public LoadBatch {
        files = List.copyOf(files);
    }

    /** A batch without tombstones: the table's snapshot is complete (or read before the change log). */
    public LoadBatch(String pipeline, TableId table, String batchId, List<StagedFile> files, boolean replacesTable) {
        this(pipeline, table, batchId, files, replacesTable, false, false);
    }

    /** A batch merged into the target table as it is. */
    public LoadBatch(String pipeline, TableId table, String batchId, List<StagedFile> files) {
        this(pipeline, table, batchId, files, false);
    }

    /** This batch with the tombstone flags {@code keeps} and {@code purges}. */
    public LoadBatch withTombstones(boolean keeps, boolean purges) {
        return new LoadBatch(pipeline, table, batchId, files, replacesTable, keeps, purges);
    }
}
