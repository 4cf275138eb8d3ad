package io.eltcdc.sink;

import io.eltcdc.model.TableId;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The committable of the load committer: every staged file that the writers of the whole job
 * finished for one checkpoint. The committer first commits the files (makes them visible), then
 * loads them; restored batches are committed and loaded again, which the destinations' ledger
 * makes harmless.
 */
public record StagedBatch(long checkpointId, List<FileSinkCommittable> files, List<TableId> replacedTables) {
    /**
     * @param replacedTables tables re-synced in full: their files in this batch are the table's whole
     *     new content, loaded into a fresh target table (also when there are none: the table is empty)
     */
    public StagedBatch {
        files = List.copyOf(files);
        replacedTables = List.copyOf(replacedTables);
    }

    public StagedBatch(long checkpointId, List<FileSinkCommittable> files) {
        this(checkpointId, files, List.of());
    }
}
