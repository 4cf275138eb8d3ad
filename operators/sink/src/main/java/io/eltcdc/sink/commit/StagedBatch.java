package io.eltcdc.sink.commit;

import io.eltcdc.model.TableId;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * The committable of the load committer: the staged files that go out together, gathered from
 * every writer of the job for one checkpoint (or several, under a load interval).
 *
 * <ul>
 *   <li>The committer first commits the files (makes them visible), then loads them.
 *   <li>A restored batch is committed and loaded again, which the destinations' ledger makes
 *       harmless.
 *   <li>Immutable: the lists are copies.
 * </ul>
 *
 * @param checkpointId the checkpoint whose completion lets the batch be loaded
 * @param files the FileSink's committables: pending files to load, and in-progress files to clean up
 * @param replacedTables tables re-synced in full: their files in this batch are the table's whole
 *     new content, loaded into a fresh target table (also when there are none: the table is empty)
 * @param keepingTombstones tables whose initial snapshot, read beside the change log, is not
 *     complete before this batch: their loads keep deleted keys as tombstones
 * @param purgingTombstones tables whose last snapshot rows are in this batch or an earlier one: their
 *     loads (made also when the batch has no file of theirs) purge the tombstones
 */
@Internal
public record StagedBatch(
        long checkpointId,
        List<FileSinkCommittable> files,
        List<TableId> replacedTables,
        List<TableId> keepingTombstones,
        List<TableId> purgingTombstones) {
    public StagedBatch {
        files = List.copyOf(files);
        replacedTables = List.copyOf(replacedTables);
        keepingTombstones = List.copyOf(keepingTombstones);
        purgingTombstones = List.copyOf(purgingTombstones);
    }

    /** A batch without tombstones. */
    public StagedBatch(long checkpointId, List<FileSinkCommittable> files, List<TableId> replacedTables) {
        this(checkpointId, files, replacedTables, List.of(), List.of());
    }
}
