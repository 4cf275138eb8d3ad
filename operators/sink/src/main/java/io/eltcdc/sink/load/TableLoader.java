package io.eltcdc.sink.load;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What loading one {@link TableLoad} means, whichever thread runs it and over which of the
 * loader's destination connections.
 *
 * <ul>
 *   <li>Every table of the pipeline exists in the destination before the first load, also those
 *       without rows; a re-synced table replaces its target, and one left empty is created again.
 *   <li>A table whose schema change the destination refuses is stopped (logged, metric
 *       {@code loadStopped}); its later loads are skipped until it is re-synced. The stop is not
 *       kept in state: after a restart the table's next load stops it again.
 *   <li>Any other failure is thrown: the job fails and restarts from its last checkpoint, and the
 *       load is retried (the ledger makes the parts already done a no-op).
 * </ul>
 *
 * Thread-safe: the scheduler runs at most one load of a table at a time, on any thread.
 */
final class TableLoader {
    private static final Logger LOG = LoggerFactory.getLogger(TableLoader.class);

    private final String pipeline;
    private final List<TableSchema> tables;
    private final LoadMetrics metrics;
    private final Map<TableId, String> stoppedTables = new ConcurrentHashMap<>();
    private boolean tablesCreated;

    TableLoader(String pipeline, List<TableSchema> tables, LoadMetrics metrics) {
        this.pipeline = pipeline;
        this.tables = tables;
        this.metrics = metrics;
    }

    void load(TableLoad load, Destination destination) throws Exception {
        createTablesOnce(destination);
        TableId table = load.table();
        if (load.replaces() && stoppedTables.remove(table) != null) {
            LOG.info("{}: re-synced, loading again", table);
        }
        String stopped = stoppedTables.get(table);
        if (stopped != null) {
            LOG.warn(
                    "{}: {} staged files not loaded: the table is stopped ({})",
                    table,
                    load.files().size(),
                    stopped);
            return;
        }
        if (load.replaces() && !destination.supportsReplacingTables()) {
            throw new IllegalStateException(table + " was re-synced, but the destination cannot"
                    + " replace a table yet; re-sync it by dropping the target table and starting over");
        }
        if (load.keepsTombstones() && !destination.supportsTombstones()) {
            throw new DestinationRefusedException(
                    "Loading " + table,
                    new UnsupportedOperationException("the destination cannot keep the tombstones that reading the"
                            + " change log during the snapshot needs"),
                    "set source.log-during-snapshot: false");
        }
        long started = System.nanoTime();
        LoadResult result;
        try {
            result = destination.load(new LoadBatch(pipeline, table, load.batchId(), load.files(), load.replaces())
                    .withTombstones(load.keepsTombstones(), load.purgesTombstones()));
            if (load.replaces() && load.files().isEmpty()) {
                recreateEmpty(table, destination);
            }
        } catch (LoadException e) {
            if (!e.refusesSchemaChange()) {
                throw e;
            }
            stop(table, e);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (result.skipped()) {
            LOG.info(
                    "{}: batch {} of checkpoint {} was loaded before; skipped",
                    table,
                    load.batchId(),
                    load.checkpointId());
        } else {
            LOG.info(
                    "{}: loaded {} files, {} rows staged, {} rows merged in {} ms (checkpoint {})",
                    table,
                    load.files().size(),
                    result.rowsStaged(),
                    result.rowsMerged(),
                    millis,
                    load.checkpointId());
            metrics.loaded(table, load.files(), result, load.checkpointId(), millis);
        }
    }

    /** Once per loader, on whichever connection comes first; the others wait for it. */
    synchronized void createTablesOnce(Destination destination) throws Exception {
        if (!tablesCreated) {
            destination.createTables(tables);
            tablesCreated = true;
        }
    }

    private void stop(TableId table, LoadException e) {
        stoppedTables.put(table, e.getMessage());
        metrics.stopped(table);
        LOG.error(
                "{}: loading STOPPED for this table; the pipeline's other tables keep loading. {}",
                table,
                e.getMessage());
    }

    /** A re-synced table that has no rows: created again from its schema, as at the first load. */
    private void recreateEmpty(TableId table, Destination destination) throws Exception {
        for (TableSchema schema : tables) {
            if (schema.id().equals(table)) {
                destination.createTables(List.of(schema));
            }
        }
    }
}
