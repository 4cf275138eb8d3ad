package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot enumerator's record of which tables are read in full, when the change log is read
 * beside the snapshot ({@code source.log-during-snapshot}): it writes a table's marker
 * ({@link TableSyncControl#snapshotComplete}) once a checkpoint that holds every row of the table
 * has completed. The pre-commit step reads the markers: from then on, a batch holds every snapshot
 * row of the table, and its loads stop keeping tombstones.
 *
 * <p>Why a completed checkpoint suffices: a reader reports a chunk finished after it emitted the
 * chunk's rows, and Flink triggers the readers' part of a checkpoint only after the enumerator's
 * part. So when the enumerator's state of checkpoint C counts a table complete, every row of the
 * table is in the staged files of checkpoint C or earlier.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>A marker is written only after a checkpoint whose enumerator state counted the table
 *       complete has completed: a restore (from that checkpoint or a later one) never reads the
 *       table's chunks again.
 *   <li>A fresh start deletes the markers of earlier starts first; a restore writes the markers of
 *       the tables its state counts complete again (idempotent).
 *   <li>A marker that could not be written is tried again at the next completed checkpoint.
 * </ul>
 */
final class SnapshotCompletions {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCompletions.class);
    /** Complete, but no checkpoint has taken that in yet. */
    private static final long NO_CHECKPOINT_YET = Long.MAX_VALUE;

    private final TableSyncControl markers;
    /** Complete tables: the first checkpoint whose enumerator state counted them complete. */
    private final Map<TableId, Long> completeSince = new LinkedHashMap<>();

    private final Set<TableId> marked = new HashSet<>();

    SnapshotCompletions(TableSyncControl markers) {
        this.markers = markers;
    }

    /** A pipeline that starts afresh: no table is complete, whatever an earlier start wrote. */
    void freshStart() {
        try {
            markers.clearSnapshotsComplete();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "could not delete the snapshot-complete markers of an earlier start in " + markers + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Tables complete in a restored checkpoint, which has completed: marked now. */
    void restored(Collection<TableId> complete) {
        for (TableId table : complete) {
            completeSince.put(table, Long.MIN_VALUE);
        }
        writeMarkers(Long.MIN_VALUE);
    }

    /** Every row of {@code table} is read (and in the staged files of the next checkpoint). */
    void complete(TableId table) {
        completeSince.putIfAbsent(table, NO_CHECKPOINT_YET);
    }

    /** The enumerator's state of checkpoint {@code checkpointId} is taken now. */
    void checkpoint(long checkpointId) {
        completeSince.replaceAll((table, since) -> since == NO_CHECKPOINT_YET ? checkpointId : since);
    }

    void checkpointComplete(long checkpointId) {
        writeMarkers(checkpointId);
    }

    boolean isMarked(TableId table) {
        return marked.contains(table);
    }

    boolean allMarked(Collection<TableId> tables) {
        return marked.containsAll(tables);
    }

    private void writeMarkers(long completedCheckpoint) {
        for (Map.Entry<TableId, Long> entry : completeSince.entrySet()) {
            TableId table = entry.getKey();
            if (entry.getValue() > completedCheckpoint || marked.contains(table)) {
                continue;
            }
            try {
                markers.snapshotComplete(table);
                marked.add(table);
                LOG.info("{}: snapshot complete; its loads stop keeping tombstones", table);
            } catch (IOException e) {
                LOG.warn(
                        "{}: could not write its snapshot-complete marker (tried again at the next checkpoint): {}",
                        table,
                        e.toString());
            }
        }
    }
}
