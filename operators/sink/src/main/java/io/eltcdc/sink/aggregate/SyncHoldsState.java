package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The checkpointed part of {@link SyncHolds}.
 *
 * @param held the tables held, in the order their holds began, with why they are synced
 * @param heldFiles the files of held tables that wait for their sync to complete
 * @param released tables a checkpoint released whose control files are not deleted yet (that
 *     checkpoint had not completed when this state was taken)
 */
record SyncHoldsState(Map<TableId, Kind> held, List<FileSinkCommittable> heldFiles, List<TableId> released) {
    static final SyncHoldsState EMPTY = new SyncHoldsState(Map.of(), List.of(), List.of());

    SyncHoldsState {
        held = Collections.unmodifiableMap(new LinkedHashMap<>(held)); // keeps the order, for stable bytes
        heldFiles = List.copyOf(heldFiles);
        released = List.copyOf(released);
    }
}
