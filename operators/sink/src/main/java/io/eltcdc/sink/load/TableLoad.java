package io.eltcdc.sink.load;

import io.eltcdc.destination.StagedFile;
import io.eltcdc.model.TableId;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.staging.TableBucketAssigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

/**
 * One table's share of a {@link StagedBatch}: the unit the loader schedules and the destination
 * loads (one ledger entry).
 *
 * @param sequence the batch's place in arrival order: a table's loads run in this order
 * @param checkpointId the checkpoint of the batch
 * @param table the target table
 * @param files the table's staged files in the batch
 * @param replaces whether the table was re-synced in full and its target is replaced
 * @param batchId the ledger's id of this load: the same files give the same id
 * @param keepsTombstones the table's initial snapshot (read beside the change log) is incomplete
 * @param purgesTombstones this load completes the table's snapshot and purges its tombstones
 */
record TableLoad(
        long sequence,
        long checkpointId,
        TableId table,
        List<StagedFile> files,
        boolean replaces,
        String batchId,
        boolean keepsTombstones,
        boolean purgesTombstones) {
    TableLoad {
        files = List.copyOf(files);
    }

    /** A load without tombstones. */
    TableLoad(
            long sequence, long checkpointId, TableId table, List<StagedFile> files, boolean replaces, String batchId) {
        this(sequence, checkpointId, table, files, replaces, batchId, false, false);
    }

    /** A batch's loads, one per table with files, replaced or purging tombstones, in table order. */
    static List<TableLoad> of(StagedBatch batch, long sequence) {
        Map<TableId, List<StagedFile>> byTable = new TreeMap<>();
        for (FileSinkCommittable committable : batch.files()) {
            if (!committable.hasPendingFile()) {
                continue; // clean-up of an in-progress file: nothing to load
            }
            var pending = committable.getPendingFile();
            byTable.computeIfAbsent(TableBucketAssigner.tableOf(committable.getBucketId()), t -> new ArrayList<>())
                    .add(new StagedFile(pending.getPath().toUri().toString(), pending.getSize()));
        }
        for (TableId replaced : batch.replacedTables()) {
            byTable.putIfAbsent(replaced, List.of()); // re-synced and empty in the source: replaced by nothing
        }
        for (TableId purging : batch.purgingTombstones()) {
            byTable.putIfAbsent(purging, List.of()); // its snapshot completed, whether or not it has rows here
        }
        List<TableLoad> loads = new ArrayList<>(byTable.size());
        byTable.forEach((table, files) -> {
            boolean replaces = batch.replacedTables().contains(table);
            boolean purges = batch.purgingTombstones().contains(table);
            // Loads without files differ by checkpoint only: their ids must not meet in the ledger.
            String id = batchId(files)
                    + (replaces ? "-resync-" + batch.checkpointId() : "")
                    + (purges && files.isEmpty() ? "-purge-" + batch.checkpointId() : "");
            boolean keeps = purges || batch.keepingTombstones().contains(table);
            loads.add(new TableLoad(sequence, batch.checkpointId(), table, files, replaces, id, keeps, purges));
        });
        return loads;
    }

    /** Same files, same id: a batch delivered again after a restore is recognised by the ledger. */
    static String batchId(List<StagedFile> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.stream().map(StagedFile::path).sorted().forEach(p -> {
                sha.update(p.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
