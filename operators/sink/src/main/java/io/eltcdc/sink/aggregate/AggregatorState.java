package io.eltcdc.sink.aggregate;

import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The checkpointed state of the pre-commit step ({@link CheckpointFileAggregator}), written with
 * {@link AggregatorStateSerializer}.
 *
 * @param awaitingLoad files of completed writes that wait for the load interval
 * @param syncHolds files and tables held for mid-stream table syncs
 * @param tombstones tables whose loads keep tombstones (an initial snapshot read beside the log)
 */
record AggregatorState(
        List<FileSinkCommittable> awaitingLoad, SyncHoldsState syncHolds, SnapshotTombstonesState tombstones) {
    AggregatorState {
        awaitingLoad = List.copyOf(awaitingLoad);
    }
}
