package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import java.util.List;

/**
 * The checkpointed part of {@link SnapshotTombstones}.
 *
 * @param incomplete tables whose snapshot marker was not seen yet
 * @param completing tables whose marker was seen, whose purging batch has not gone out yet
 */
record SnapshotTombstonesState(List<TableId> incomplete, List<TableId> completing) {
    /** No table keeps tombstones (the sequential mode, and state of builds before this one). */
    static final SnapshotTombstonesState NONE = new SnapshotTombstonesState(List.of(), List.of());

    SnapshotTombstonesState {
        incomplete = List.copyOf(incomplete);
        completing = List.copyOf(completing);
    }
}
