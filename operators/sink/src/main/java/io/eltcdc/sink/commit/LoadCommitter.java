package io.eltcdc.sink.commit;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.staging.TableBucketAssigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a checkpoint's staged files and then loads them into the destination, one batch per
 * table.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Only files of completed checkpoints are loaded: Flink calls the committer only once the
 *       checkpoint that holds a batch has completed, and the files are committed (made visible)
 *       before their load.
 *   <li>A batch delivered twice is a no-op: after a failure Flink hands the same batches in again;
 *       the file commit is idempotent after recovery, and a table's batch id is derived from its
 *       files' paths, so the destination's ledger skips the repeated load.
 *   <li>A table whose schema change the destination refuses is stopped (logged, metric
 *       {@code loadStopped}); the others keep loading. The stop is not kept in state: after a
 *       restart the table's next batch stops it again, and a re-sync lifts it.
 *   <li>Any other failure fails the job, which restarts from the last checkpoint and retries the
 *       batch.
 *   <li>Every table of the pipeline exists in the destination from the first batch on, also those
 *       without rows; a re-synced table replaces its target, and one left empty is created again.
 * </ul>
 *
 * Public for {@code StagingLoadSink} only.
 */
@Internal
public final class LoadCommitter implements Committer<StagedBatch> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadCommitter.class);

    private final Committer<FileSinkCommittable> fileCommitter;
    private final DestinationFactory destinationFactory;
    private final String pipeline;
    private final LoadMetrics metrics;
    private final List<TableSchema> tables;
    private Destination destination;
    private boolean tablesCreated;
    /** Tables whose loading stopped, with the reason. */
    private final Map<TableId, String> stoppedTables = new HashMap<>();

    /**
     * @param fileCommitter the FileSink's committer
     * @param tables the pipeline's tables, created in the destination before the first load
     * @param metricGroup the committer's, for {@link LoadMetrics}
     */
    public LoadCommitter(
            Committer<FileSinkCommittable> fileCommitter,
            DestinationFactory destinationFactory,
            String pipeline,
            List<TableSchema> tables,
            MetricGroup metricGroup) {
        this.tables = tables;
        this.fileCommitter = fileCommitter;
        this.destinationFactory = destinationFactory;
        this.pipeline = pipeline;
        this.metrics = new LoadMetrics(metricGroup);
    }

    @Override
    public void commit(Collection<CommitRequest<StagedBatch>> requests) throws IOException, InterruptedException {
        for (CommitRequest<StagedBatch> request : requests) {
            StagedBatch batch = request.getCommittable();
            fileCommitter.commit(FileCommitRequest.all(batch.files()));
            try {
                if (!tablesCreated) {
                    // Every selected table exists in the destination, also those without rows.
                    destination().createTables(tables);
                    tablesCreated = true;
                }
                load(batch);
            } catch (Exception e) {
                // Fail the job: it restarts from the last checkpoint and this batch is retried.
                throw new IOException(
                        "loading the files of checkpoint " + batch.checkpointId() + " failed: " + e.getMessage(), e);
            }
        }
    }

    private void load(StagedBatch batch) throws Exception {
        Map<TableId, List<StagedFile>> byTable = filesByTable(batch);
        for (TableId replaced : batch.replacedTables()) {
            byTable.putIfAbsent(replaced, List.of()); // re-synced and empty in the source: replaced by nothing
            if (stoppedTables.remove(replaced) != null) {
                LOG.info("{}: re-synced, loading again", replaced);
            }
        }
        for (Map.Entry<TableId, List<StagedFile>> table : byTable.entrySet()) {
            List<StagedFile> files = table.getValue();
            if (stoppedTables.containsKey(table.getKey())) {
                LOG.warn(
                        "{}: {} staged files not loaded: the table is stopped ({})",
                        table.getKey(),
                        files.size(),
                        stoppedTables.get(table.getKey()));
                continue;
            }
            boolean replaces = batch.replacedTables().contains(table.getKey());
            if (replaces && !destination().supportsReplacingTables()) {
                throw new IllegalStateException(table.getKey() + " was re-synced, but the destination cannot"
                        + " replace a table yet; re-sync it by dropping the target table and starting over");
            }
            LoadBatch loadBatch = new LoadBatch(
                    pipeline,
                    table.getKey(),
                    batchId(files) + (replaces ? "-resync-" + batch.checkpointId() : ""),
                    files,
                    replaces);
            long started = System.nanoTime();
            LoadResult result;
            try {
                result = destination().load(loadBatch);
                if (replaces && files.isEmpty()) {
                    recreateEmpty(table.getKey());
                }
            } catch (LoadException e) {
                if (!e.refusesSchemaChange()) {
                    throw e;
                }
                stop(table.getKey(), e);
                continue;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (result.skipped()) {
                LOG.info(
                        "{}: batch {} of checkpoint {} was loaded before; skipped",
                        table.getKey(),
                        loadBatch.batchId(),
                        batch.checkpointId());
            } else {
                LOG.info(
                        "{}: loaded {} files, {} rows staged, {} rows merged in {} ms (checkpoint {})",
                        table.getKey(),
                        files.size(),
                        result.rowsStaged(),
                        result.rowsMerged(),
                        millis,
                        batch.checkpointId());
                metrics.loaded(table.getKey(), files, result, batch.checkpointId());
            }
        }
    }

    /**
     * Stops loading one table whose source changed in a way the destination cannot follow; the
     * others keep loading. Its later files are skipped (they would fail the same way) until the
     * table is re-synced. The stop is not kept in state: after a restart, the table's next batch
     * fails the same check and stops it again.
     */
    private void stop(TableId table, LoadException e) {
        stoppedTables.put(table, e.getMessage());
        metrics.stopped(table);
        LOG.error(
                "{}: loading STOPPED for this table; the pipeline's other tables keep loading. {}",
                table,
                e.getMessage());
    }

    /** A re-synced table that has no rows: created again from its schema, as at the first load. */
    private void recreateEmpty(TableId table) throws Exception {
        for (TableSchema schema : tables) {
            if (schema.id().equals(table)) {
                destination().createTables(List.of(schema));
            }
        }
    }

    private static Map<TableId, List<StagedFile>> filesByTable(StagedBatch batch) {
        Map<TableId, List<StagedFile>> byTable = new TreeMap<>();
        for (FileSinkCommittable committable : batch.files()) {
            if (!committable.hasPendingFile()) {
                continue; // clean-up of an in-progress file: nothing to load
            }
            var pending = committable.getPendingFile();
            byTable.computeIfAbsent(TableBucketAssigner.tableOf(committable.getBucketId()), t -> new ArrayList<>())
                    .add(new StagedFile(pending.getPath().toUri().toString(), pending.getSize()));
        }
        return byTable;
    }

    /** Same files, same id: a batch redelivered after a restore is recognised by the ledger. */
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

    private Destination destination() {
        if (destination == null) {
            destination = destinationFactory.create();
        }
        return destination;
    }

    @Override
    public void close() throws Exception {
        try {
            fileCommitter.close();
        } finally {
            if (destination != null) {
                destination.close();
            }
        }
    }
}
