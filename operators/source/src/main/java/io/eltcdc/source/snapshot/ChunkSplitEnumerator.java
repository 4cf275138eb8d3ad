package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.ChunkingPlan;
import io.eltcdc.source.planner.TableSplitting;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out chunks of the snapshot's tables to readers, making them lazily: when a reader asks and
 * none is waiting, it cuts up to {@code 2 × parallelism} more (planning a table when its turn
 * comes), so chunks are never all made up front and the state stays small. When every table is
 * split and no chunk is left, a reader that asks is told there are no more splits, and the bounded
 * source finishes once all readers are.
 *
 * <p>When the change log is read beside the snapshot ({@link SnapshotSourceConfig#completionMarkers()}
 * set), it also marks each table whose rows are all read and checkpointed ({@link SnapshotCompletions}),
 * and keeps the readers until every table is marked: a reader that asks when no chunk is left waits,
 * and all are told there are no more splits together. When every reader waits and no chunk is left,
 * every table is read, even one whose chunk reports a restore lost.
 *
 * <p>Metrics, per table ({@code table=<schema.table>} group): gauges {@code chunksTotal} (the
 * plan's estimate, exact once the table is fully split; -1 before it is planned),
 * {@code rowCountEstimate} (-1 before planning) and {@code snapshotComplete} (1 once every row of
 * the table is read; with the log read beside the snapshot, once that is checkpointed and marked).
 */
public final class ChunkSplitEnumerator implements SplitEnumerator<ChunkSplit, SnapshotEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkSplitEnumerator.class);

    private final SplitEnumeratorContext<ChunkSplit> context;
    private final SnapshotSourceConfig config;
    private final ChunkPlanner planner;

    /** Null for a snapshot-only pipeline: no log position is recorded, rows carry the configured one. */
    private final LogStartRecorder logStartRecorder;

    private boolean tablesDiscovered;
    private Position startPosition;
    private LogStart logStart;
    private final Deque<TableSplitting> pendingTables;
    private final Deque<ChunkSplit> unassignedSplits;
    private final Map<TableId, TableProgress> progress;
    private final Set<TableId> metricsRegistered = new HashSet<>();
    /** Null unless the change log is read beside the snapshot. */
    private final SnapshotCompletions completions;
    /** Readers that asked when no chunk was left, not yet told there are no more. */
    private final Set<Integer> idleReaders = new TreeSet<>();

    /** Opened on first use, kept while the enumerator runs; null after a failure or close. */
    private Connection connection;

    public ChunkSplitEnumerator(
            SplitEnumeratorContext<ChunkSplit> context, SnapshotSourceConfig config, SnapshotEnumeratorState state) {
        this(context, config, state, null);
    }

    public ChunkSplitEnumerator(
            SplitEnumeratorContext<ChunkSplit> context,
            SnapshotSourceConfig config,
            SnapshotEnumeratorState state,
            LogStartRecorder logStartRecorder) {
        this.logStartRecorder = logStartRecorder;
        this.logStart = state.logStart();
        this.context = context;
        this.config = config;
        this.planner = new ChunkPlanner(config.chunkSize(), config.dialect().plannerQueries());
        this.tablesDiscovered = state.tablesDiscovered();
        this.startPosition = state.startPosition();
        this.pendingTables = new ArrayDeque<>(state.pendingTables());
        this.unassignedSplits = new ArrayDeque<>(state.unassignedSplits());
        this.progress = new LinkedHashMap<>(state.progress());
        this.completions =
                config.completionMarkers() == null ? null : new SnapshotCompletions(config.completionMarkers());
    }

    @Override
    public void start() {
        if (completions != null) {
            if (tablesDiscovered) {
                completions.restored(progress.entrySet().stream()
                        .filter(e -> e.getValue().allChunksFinished())
                        .map(Map.Entry::getKey)
                        .toList());
            } else {
                completions.freshStart();
            }
        }
        if (!tablesDiscovered) {
            discoverTables();
        }
        if (logStart == null && logStartRecorder != null) {
            recordLogStart();
        }
        progress.keySet().forEach(this::registerMetrics);
    }

    /**
     * Records where the change log stands, after the tables are known (PostgreSQL's publication
     * names them) and before the first chunk is made; a restored enumerator has it already.
     */
    private void recordLogStart() {
        List<TableSchema> tables = new ArrayList<>();
        pendingTables.forEach(t -> tables.add(t.schema()));
        try {
            logStart = logStartRecorder.record(connection(), tables);
        } catch (Exception e) {
            closeConnection();
            throw SourceFaults.failed(
                    "Could not record where the change log of the source database " + config.redactedUrl()
                            + " stands before the snapshot: " + e.getMessage(),
                    e);
        }
        startPosition = logStart.position();
        LOG.info(
                "Change log position before the snapshot: {}; snapshot rows carry position {}",
                logStart,
                startPosition);
    }

    /** Where the change log stood before the snapshot began; null for a snapshot-only source. */
    public LogStart logStart() {
        return logStart;
    }

    private void discoverTables() {
        List<TableSchema> tables;
        try {
            tables = config.dialect().discover(connection(), config.tablePatterns(), config.customKeys());
        } catch (SQLException e) {
            closeConnection();
            throw SourceFaults.failed(
                    "Could not read the table list from the source database "
                            + config.redactedUrl() + ": " + e.getMessage()
                            + ". Check that the user may read the catalog and the selected schemas.",
                    e);
        }
        for (TableSchema table : tables) {
            pendingTables.add(new TableSplitting(table));
            progress.put(table.id(), new TableProgress());
        }
        tablesDiscovered = true;
        if (tables.isEmpty()) {
            LOG.warn("The table patterns {} select no table: the snapshot reads nothing", config.tablePatterns());
        } else {
            LOG.info(
                    "Snapshot of {} table(s): {}",
                    tables.size(),
                    tables.stream().map(TableSchema::id).toList());
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        ChunkSplit split = nextSplit();
        if (split != null) {
            LOG.debug("Assigning {} to reader {}", split, subtaskId);
            idleReaders.remove(subtaskId);
            context.assignSplit(split, subtaskId);
        } else if (completions == null) {
            LOG.debug("No chunk left for reader {}", subtaskId);
            context.signalNoMoreSplits(subtaskId);
        } else {
            LOG.debug("No chunk left for reader {}; it waits until every table is marked complete", subtaskId);
            idleReaders.add(subtaskId);
            noteCompleteTables();
            releaseReadersWhenMarked();
        }
    }

    /** Every chunk of every table is read: none is left, and every reader has asked for another. */
    private boolean everythingRead() {
        return tablesDiscovered
                && pendingTables.isEmpty()
                && unassignedSplits.isEmpty()
                && idleReaders.size() >= context.currentParallelism();
    }

    private void noteCompleteTables() {
        boolean all = everythingRead();
        progress.forEach((table, p) -> {
            if (all || p.allChunksFinished()) {
                completions.complete(table);
            }
        });
    }

    /** Once every table is read and marked, the waiting readers finish. */
    private void releaseReadersWhenMarked() {
        if (everythingRead() && completions.allMarked(progress.keySet())) {
            LOG.info("Snapshot complete: every table is read, checkpointed and marked");
            idleReaders.forEach(context::signalNoMoreSplits);
            idleReaders.clear();
        }
    }

    /** A chunk waiting for a reader, made now if none waits; null when every table is done. */
    private ChunkSplit nextSplit() {
        if (unassignedSplits.isEmpty()) {
            makeChunks(Math.max(1, 2 * context.currentParallelism()));
        }
        ChunkSplit split = unassignedSplits.poll();
        return split == null ? null : split.withPosition(startPosition);
    }

    /** Makes chunks until {@code target} wait for readers or every table is split. */
    private void makeChunks(int target) {
        while (unassignedSplits.size() < target && !pendingTables.isEmpty()) {
            TableSplitting table = pendingTables.peek();
            TableId id = table.schema().id();
            try {
                if (table.plan() == null) {
                    ChunkingPlan plan = planner.plan(connection(), table.schema());
                    table.planned(plan);
                    progress.get(id).planned(plan);
                }
                unassignedSplits.add(planner.nextChunk(connection(), table));
            } catch (SQLException e) {
                closeConnection(); // a broken connection is reopened by the next attempt
                throw new SnapshotSourceException(
                        "Could not cut table " + id + " into chunks (source database "
                                + config.redactedUrl() + "): " + e.getMessage()
                                + ". Check that the table still exists and the user may read it.",
                        e);
            }
            progress.get(id).chunkCreated(table.done());
            if (table.done()) {
                pendingTables.poll();
                LOG.info("Table {} split into {} chunk(s)", id, progress.get(id).chunksCreated());
            }
        }
    }

    @Override
    public void addSplitsBack(List<ChunkSplit> splits, int subtaskId) {
        LOG.info("Reader {} returned {} chunk(s); they go to the next readers that ask", subtaskId, splits.size());
        idleReaders.remove(subtaskId);
        splits.forEach(unassignedSplits::addFirst);
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for chunks themselves (one at a time), nothing to push.
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ChunkFinishedEvent finished) {
            TableProgress table = progress.get(finished.table());
            if (table != null) {
                table.chunkFinished();
                LOG.debug("Reader {} finished {} ({})", subtaskId, finished.splitId(), table);
                if (completions != null && table.allChunksFinished()) {
                    completions.complete(finished.table());
                }
            }
        }
    }

    @Override
    public SnapshotEnumeratorState snapshotState(long checkpointId) {
        if (completions != null) {
            noteCompleteTables();
            completions.checkpoint(checkpointId);
        }
        return new SnapshotEnumeratorState(
                tablesDiscovered,
                startPosition,
                List.copyOf(pendingTables),
                List.copyOf(unassignedSplits),
                progress,
                logStart);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (completions != null) {
            completions.checkpointComplete(checkpointId);
            releaseReadersWhenMarked();
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private void registerMetrics(TableId table) {
        if (!metricsRegistered.add(table)) {
            return;
        }
        TableProgress tableProgress = progress.get(table);
        MetricGroup group = context.metricGroup().addGroup("table", table.toString());
        Gauge<Long> chunksTotal = tableProgress::chunksTotal;
        Gauge<Long> rowCountEstimate = tableProgress::rowCountEstimate;
        group.gauge("chunksTotal", chunksTotal);
        group.gauge("rowCountEstimate", rowCountEstimate);
        Gauge<Integer> snapshotComplete =
                () -> (completions == null ? tableProgress.allChunksFinished() : completions.isMarked(table)) ? 1 : 0;
        group.gauge("snapshotComplete", snapshotComplete);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = SourceConnections.open(config, "enumerator");
        }
        return connection;
    }

    private void closeConnection() {
        SourceConnections.closeQuietly(connection);
        connection = null;
    }
}
