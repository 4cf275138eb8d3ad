package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.model.sync.TableSyncControl.Sync;
import io.eltcdc.staging.TableBucketAssigner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SyncHolds} that follow the control files of the pipeline's table syncs. Holds live in
 * three maps: the held tables with the kind of their sync, their held files, and the released
 * tables whose control files wait for the releasing checkpoint to complete.
 */
final class ControlFileSyncHolds extends SyncHolds {
    private static final Logger LOG = LoggerFactory.getLogger(ControlFileSyncHolds.class);

    private final TableSyncControl control;
    private final Map<TableId, Kind> held = new LinkedHashMap<>();
    private final Map<TableId, List<FileSinkCommittable>> heldFiles = new LinkedHashMap<>();
    /** Released tables whose control files are deleted once the checkpoint that released them completes. */
    private final TreeMap<Long, List<TableId>> toClear = new TreeMap<>();

    ControlFileSyncHolds(TableSyncControl control) {
        this.control = control;
    }

    @Override
    void restore(SyncHoldsState state) throws IOException {
        held.putAll(state.held());
        for (FileSinkCommittable file : state.heldFiles()) {
            heldFiles
                    .computeIfAbsent(TableBucketAssigner.tableOf(file.getBucketId()), t -> new ArrayList<>())
                    .add(file);
        }
        // Syncs that the restored checkpoint released (and, being restored from, completed): their
        // control files may still be there, and are deleted now.
        for (TableId table : state.released()) {
            control.clear(table);
        }
    }

    @Override
    SyncHoldsState snapshot() {
        return new SyncHoldsState(
                held,
                heldFiles.values().stream().flatMap(List::stream).toList(),
                toClear.values().stream().flatMap(List::stream).toList());
    }

    @Override
    List<TableId> apply(long checkpointId, List<FileSinkCommittable> files) throws IOException {
        Map<TableId, Sync> syncs = control.syncs();
        List<TableId> released = new ArrayList<>();
        for (Map.Entry<TableId, Kind> entry : held.entrySet()) {
            Sync sync = syncs.get(entry.getKey());
            if (sync != null && sync.ended()) {
                released.add(entry.getKey());
            }
        }
        for (Sync sync : syncs.values()) {
            if (!held.containsKey(sync.table())) {
                held.put(sync.table(), sync.kind());
                LOG.info(
                        "{}: synced in full ({}); its files are held until every row of the sync is staged",
                        sync.table(),
                        sync.kind());
            }
        }
        for (Iterator<FileSinkCommittable> it = files.iterator(); it.hasNext(); ) {
            FileSinkCommittable file = it.next();
            TableId table = TableBucketAssigner.tableOf(file.getBucketId());
            if (held.containsKey(table) && !released.contains(table)) {
                heldFiles.computeIfAbsent(table, t -> new ArrayList<>()).add(file);
                it.remove();
            }
        }
        List<TableId> replaced = new ArrayList<>();
        for (TableId table : released) {
            List<FileSinkCommittable> tableFiles = heldFiles.remove(table);
            if (tableFiles != null) {
                files.addAll(tableFiles);
            }
            if (held.remove(table) == Kind.RESYNC) {
                replaced.add(table);
            }
            toClear.computeIfAbsent(checkpointId, c -> new ArrayList<>()).add(table);
            LOG.info(
                    "{}: sync complete; {} held files go out with checkpoint {}",
                    table,
                    tableFiles == null ? 0 : tableFiles.size(),
                    checkpointId);
        }
        return replaced;
    }

    @Override
    void checkpointComplete(long checkpointId) throws IOException {
        Map<Long, List<TableId>> done = toClear.headMap(checkpointId, true);
        for (List<TableId> tables : done.values()) {
            for (TableId table : tables) {
                control.clear(table);
            }
        }
        done.clear();
    }

    @Override
    int heldFileCount() {
        return heldFiles.values().stream().mapToInt(List::size).sum();
    }
}
