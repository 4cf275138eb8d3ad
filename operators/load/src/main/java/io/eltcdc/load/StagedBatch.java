package io.eltcdc.load;

import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The committable of the load committer: every staged file that the writers of the whole job
 * finished for one checkpoint. The committer first commits the files (makes them visible), then
 * loads them; restored batches are committed and loaded again, which the destinations' ledger
 * makes harmless.
 */
public record StagedBatch(long checkpointId, List<FileSinkCommittable> files) {
    public StagedBatch {
        files = List.copyOf(files);
    }
}
