package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import java.util.List;

/**
 * Checkpointed state of the table sync source's enumerator: the tables the pipeline captures
 * (those it started with and those synced since), and the sync under way, if any (started over
 * after a restore).
 *
 * @param activeTable null when no sync is under way
 * @param activeKind null when no sync is under way
 */
public record TableSyncState(List<TableId> known, TableId activeTable, Kind activeKind) {
    public TableSyncState {
        known = List.copyOf(known);
        if ((activeTable == null) != (activeKind == null)) {
            throw new IllegalArgumentException("a sync under way needs its table and kind");
        }
    }
}
