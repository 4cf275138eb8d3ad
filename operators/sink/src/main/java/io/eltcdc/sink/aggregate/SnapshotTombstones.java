package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-commit step's part in an initial snapshot read beside the change log
 * ({@code source.log-during-snapshot}): which tables' loads keep tombstones, and which batch
 * purges them. A DELETE may then be loaded before the snapshot row of its key, which must not bring
 * the row back; so while a table's snapshot is incomplete its loads keep the deleted keys as
 * tombstones, and the first batch that holds the table's last snapshot rows purges them (see
 * {@code LoadBatch}).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Every table of the pipeline starts incomplete. A table becomes complete at the first
 *       checkpoint whose pre-barrier step sees its marker ({@link TableSyncControl#snapshotComplete}),
 *       which the snapshot's enumerator writes only once a checkpoint holding every row of the table
 *       has completed: that checkpoint's files are in this step's batch or an earlier one.
 *   <li>The next batch that goes out both keeps and purges the table's tombstones (its merge still
 *       meets tombstones of earlier batches); later batches do neither. That batch goes out even
 *       without files (the table may have no change at all).
 *   <li>The incomplete and completing tables are in the checkpointed state; once every table is
 *       complete, no marker is read again.
 *   <li>{@link #none()}, the sequential mode (the log read after the snapshot), keeps nothing.
 * </ul>
 *
 * Public for {@code StagingLoadSink} only; the operations are this package's.
 */
@Internal
public final class SnapshotTombstones {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTombstones.class);

    private final TableSyncControl markers;
    private final Set<TableId> incomplete;
    private final Set<TableId> completing = new LinkedHashSet<>();

    private SnapshotTombstones(TableSyncControl markers, List<TableId> tables) {
        this.markers = markers;
        this.incomplete = new LinkedHashSet<>(tables);
    }

    /** The log is read after the snapshot: no tombstones. */
    public static SnapshotTombstones none() {
        return new SnapshotTombstones(null, List.of());
    }

    /** Every table in {@code tables} keeps tombstones until its marker in {@code markers} is there. */
    public static SnapshotTombstones of(TableSyncControl markers, List<TableId> tables) {
        return new SnapshotTombstones(Objects.requireNonNull(markers, "markers"), tables);
    }

    /** Looks for the markers of incomplete tables (before a checkpoint's barrier). */
    void apply(long checkpointId) throws IOException {
        if (markers == null || incomplete.isEmpty()) {
            return;
        }
        Set<TableId> complete = markers.snapshotsComplete();
        for (var it = incomplete.iterator(); it.hasNext(); ) {
            TableId table = it.next();
            if (complete.contains(table)) {
                it.remove();
                completing.add(table);
                LOG.info(
                        "{}: snapshot complete; the next batch purges its tombstones (checkpoint {})",
                        table,
                        checkpointId);
            }
        }
    }

    /** The tables whose loads in the batch that goes out now keep tombstones. */
    List<TableId> keeping() {
        List<TableId> out = new ArrayList<>(incomplete);
        out.addAll(completing);
        return out;
    }

    /** Whether the next batch purges the tombstones of some table. */
    boolean purgesAny() {
        return !completing.isEmpty();
    }

    /** The tables whose tombstones the batch that goes out now purges; they are then done. */
    List<TableId> takePurging() {
        List<TableId> out = List.copyOf(completing);
        completing.clear();
        return out;
    }

    SnapshotTombstonesState snapshot() {
        return new SnapshotTombstonesState(List.copyOf(incomplete), List.copyOf(completing));
    }

    /** Takes the state of a restored checkpoint instead of the start's. */
    void restore(SnapshotTombstonesState state) {
        incomplete.clear();
        completing.clear();
        if (markers != null) {
            incomplete.addAll(state.incomplete());
            completing.addAll(state.completing());
        }
    }
}
