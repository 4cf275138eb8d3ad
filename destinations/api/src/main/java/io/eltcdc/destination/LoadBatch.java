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
 */
public record LoadBatch(String pipeline, TableId table, String batchId, List<StagedFile> files, boolean replacesTable) {
    public LoadBatch {
        files = List.copyOf(files);
    }

    /** A batch merged into the target table as it is. */
    public LoadBatch(String pipeline, TableId table, String batchId, List<StagedFile> files) {
        this(pipeline, table, batchId, files, false);
    }
}
