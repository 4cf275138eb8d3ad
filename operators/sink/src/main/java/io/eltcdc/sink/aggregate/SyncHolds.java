package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The pre-commit step's part in a mid-stream table sync ({@link TableSyncControl}): while a table
 * is synced, its staged files (change-log records and the sync's rows alike) are held back; once
 * the sync's rows are all staged, they go out together in one batch, so the merge by position
 * settles every key in one go: a change newer than the sync's read wins, an older one loses, and a
 * row deleted after the read is not brought back (which loading the read rows later than the
 * delete would do).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>A table is held from the first checkpoint whose pre-barrier step sees the sync's start file;
 *       the sync source reads nothing before such a checkpoint has completed, so every change
 *       committed after its read lands in held files.
 *   <li>A table is released only when it was held before (a restore that lost the hold restarts
 *       the sync, whose source starts over), with the first checkpoint that sees the end file: all
 *       its held files go out in that checkpoint's batch, and a re-sync's batch replaces the table.
 *   <li>A released sync's control files are deleted only once the releasing checkpoint has
 *       completed (or is restored from).
 *   <li>{@link #none()}, the pipeline without mid-stream syncs, holds nothing and reads no control
 *       file.
 * </ul>
 *
 * Public for {@code StagingLoadSink} only; the operations are this package's.
 */
@Internal
public abstract class SyncHolds {
    SyncHolds() {}

    /** Holds nothing: every file goes out with its own checkpoint. */
    public static SyncHolds none() {
        return None.INSTANCE;
    }

    /** Holds the files of the tables whose sync the control files show under way. */
    public static SyncHolds of(TableSyncControl control) {
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
            // Holds of an earlier run with table syncs are not taken up (as before SyncHolds.none()).
        }
    }
}
