package io.eltcdc.sink;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The pre-commit step's part in mid-stream table syncs ({@link TableSyncControl}): which staged
 * files wait for a sync to complete. {@link #none()} is the pipeline that syncs no table while it
 * streams; {@link #of(TableSyncControl)} follows the control files ({@link ControlFileSyncHolds}).
 */
abstract class SyncHolds {
    /** Holds nothing: every file goes out with its own checkpoint. */
    static SyncHolds none() {
        return None.INSTANCE;
    }

    /** Holds the files of the tables whose sync the control files show under way. */
    static SyncHolds of(TableSyncControl control) {
        return new ControlFileSyncHolds(Objects.requireNonNull(control, "table sync control"));
    }

    /**
     * Takes the files of held tables out of {@code files}, adds those of tables whose sync ended,
     * and returns the tables that are replaced (re-synced) by this checkpoint's batch.
     */
    abstract List<TableId> apply(long checkpointId, List<FileSinkCommittable> files) throws IOException;

    /** Deletes the control files of the syncs a completed checkpoint released. */
    abstract void checkpointComplete(long checkpointId) throws IOException;

    abstract int heldFileCount();

    /** The holds, for the checkpoint's state. */
    abstract SyncHoldsState snapshot();

    /** Takes the holds back from a restored checkpoint's state. */
    abstract void restore(SyncHoldsState state) throws IOException;

    private static final class None extends SyncHolds {
        static final None INSTANCE = new None();

        @Override
        List<TableId> apply(long checkpointId, List<FileSinkCommittable> files) {
            return List.of();
        }

        @Override
        void checkpointComplete(long checkpointId) {}

        @Override
        int heldFileCount() {
            return 0;
        }

        @Override
        SyncHoldsState snapshot() {
            return SyncHoldsState.EMPTY;
        }

        @Override
        void restore(SyncHoldsState state) {
            // A pipeline without table syncs reads no holds (as before the holds had a state of their own).
        }
    }
}
