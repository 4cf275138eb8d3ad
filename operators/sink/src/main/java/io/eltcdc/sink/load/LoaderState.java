package io.eltcdc.sink.load;

import io.eltcdc.sink.commit.StagedBatch;
import java.util.List;

/**
 * The loader's checkpointed state.
 *
 * @param pending batches committed but not fully loaded, oldest first: loaded again after a restore
 * @param deletions staged files loaded before the checkpoint and not yet deleted: after a restore
 *     of that (completed) checkpoint no restore can deliver them again
 */
record LoaderState(List<StagedBatch> pending, List<StagedFileDeletion> deletions) {
    LoaderState {
        pending = List.copyOf(pending);
        deletions = List.copyOf(deletions);
    }
}
