package io.eltcdc.source.log;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-log reader's view of the snapshot read beside it: which of the pipeline's tables may
 * still lack rows in the destination, because their snapshot is not complete. It follows the
 * snapshot-complete markers ({@link TableSyncControl#snapshotComplete}), looked at again at most
 * every {@link #LOOK_AGAIN_MILLIS} ms and never once every table is complete. Until a marker is
 * seen a table counts as incomplete, which costs a query per TOAST-unchanged update, never a wrong
 * row.
 */
final class IncompleteSnapshots implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IncompleteSnapshots.class);
    static final long LOOK_AGAIN_MILLIS = 5_000;

    private final TableSyncControl markers;
    private final Set<TableId> tables;

    private transient Set<TableId> incomplete;
    private transient long lastLookMillis;

    /** @param tables the tables the snapshot reads (tables created later are not in it) */
    IncompleteSnapshots(TableSyncControl markers, Collection<TableId> tables) {
        this.markers = markers;
        this.tables = Set.copyOf(tables);
    }

    boolean incomplete(TableId table) {
        if (!tables.contains(table)) {
            return false;
        }
        if (incomplete == null) {
            incomplete = new HashSet<>(tables);
        }
        if (!incomplete.contains(table)) {
            return false;
        }
        long now = System.currentTimeMillis();
        if (now - lastLookMillis >= LOOK_AGAIN_MILLIS) {
            lastLookMillis = now;
            try {
                incomplete.removeAll(markers.snapshotsComplete());
            } catch (IOException e) {
                LOG.warn(
                        "Could not read the snapshot-complete markers in {} (looked at again later): {}",
                        markers,
                        e.toString());
            }
        }
        return incomplete.contains(table);
    }
}
