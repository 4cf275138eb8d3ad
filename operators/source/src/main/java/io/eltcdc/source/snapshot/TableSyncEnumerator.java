package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.model.sync.TableSyncControl.Sync;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.TableSplitting;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs single tables while the pipeline streams, one at a time: tables created in the source
 * after the start that the patterns select ({@code source.capture-new-tables}), and tables whose
 * re-sync the {@code resync} command asked for ({@link TableSyncControl}).
 *
 * <p>A sync: write the start file (the pre-commit step holds the table's files from the next
 * checkpoint on) → after a checkpoint triggered later has completed, take the read position
 * ({@link SourceDialect#positionForReadsFromNow}) and cut the table into chunks that carry it →
 * readers read them → when every chunk is read, write the end file (the held files go out
 * together) → once the pre-commit step has deleted the control files, the sync is over. A restore
 * starts the sync under way over.
 */
final class TableSyncEnumerator implements SplitEnumerator<ChunkSplit, TableSyncState> {
    private static final Logger LOG = LoggerFactory.getLogger(TableSyncEnumerator.class);

    private enum Phase {
        BEGIN,
        AWAIT_HOLD,
        PREPARING,
        READING,
        ENDED
    }

    private final SplitEnumeratorContext<ChunkSplit> context;
    private final SnapshotSourceConfig config;
    private final TableSyncControl control;
    private final boolean captureNewTables;
    private final Duration pollInterval;
    private final ChunkPlanner planner;

    private final Set<TableId> known;
    private volatile Set<TableId> knownSnapshot;
    private TableId activeTable;
    private Kind activeKind;
    private Phase phase;
    private long holdCheckpoint = -1;
    private final Set<String> unfinishedSplits = new HashSet<>();
    private final Deque<ChunkSplit> unassigned = new ArrayDeque<>();
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    /** Used by the worker thread only. */
    private Connection connection;

    TableSyncEnumerator(
            SplitEnumeratorContext<ChunkSplit> context,
            SnapshotSourceConfig config,
            TableSyncControl control,
            boolean captureNewTables,
            Duration pollInterval,
            TableSyncState state) {
        this.context = context;
        this.config = config;
        this.control = control;
        this.captureNewTables = captureNewTables;
        this.pollInterval = pollInterval;
        this.planner = new ChunkPlanner(config.chunkSize(), config.dialect().plannerQueries());
        this.known = new LinkedHashSet<>(state.known());
        this.knownSnapshot = Set.copyOf(known);
        this.activeTable = state.activeTable();
        this.activeKind = state.activeKind();
        this.phase = activeTable == null ? null : Phase.BEGIN;
    }

    @Override
    public void start() {
        if (activeTable != null) {
            LOG.info("{}: the sync under way ({}) starts over after the restore", activeTable, activeKind);
            begin();
        }
        context.callAsync(this::poll, this::onPoll, 0, pollInterval.toMillis());
    }

    /** What the sources say now (worker thread). */
    private record Poll(Map<TableId, Sync> syncs, List<TableSchema> newTables, List<TableId> resyncs) {}

    private Poll poll() throws Exception {
        List<TableSchema> fresh = new ArrayList<>();
        if (captureNewTables) {
            Set<TableId> captured = knownSnapshot;
            for (TableSchema table : discover()) {
                if (!captured.contains(table.id())) {
                    fresh.add(table);
                }
            }
        }
        return new Poll(control.syncs(), fresh, control.resyncRequests());
    }

    private void onPoll(Poll poll, Throwable error) {
        if (error != null) {
            LOG.warn(
                    "Looking for new tables and re-sync requests failed (tried again in {} s): {}",
                    pollInterval.toSeconds(),
                    error.toString());
            closeConnectionLater();
            return;
        }
        if (phase == Phase.ENDED && !poll.syncs().containsKey(activeTable)) {
            finish();
        }
        if (activeTable != null) {
            return;
        }
        if (!poll.newTables().isEmpty()) {
            TableSchema table = poll.newTables().get(0);
            LOG.info("Table {} was created in the source: syncing it while the other tables stream", table.id());
            activeTable = table.id();
            activeKind = Kind.NEW_TABLE;
            begin();
        } else if (!poll.resyncs().isEmpty()) {
            activeTable = poll.resyncs().get(0);
            activeKind = Kind.RESYNC;
            LOG.info("Re-sync of {} requested: reading it again while the other tables stream", activeTable);
            begin();
        }
    }

    /** Writes the start file; the reads wait for a checkpoint that sees it. */
    private void begin() {
        try {
            control.clear(activeTable); // an end file of an earlier attempt must not end this one
            control.started(activeTable, activeKind);
        } catch (IOException e) {
            LOG.warn(
                    "{}: could not write the sync's start file (tried again at the next poll): {}",
                    activeTable,
                    e.toString());
            activeTable = null;
            activeKind = null;
            phase = null;
            return;
        }
        phase = Phase.AWAIT_HOLD;
        holdCheckpoint = -1;
        unfinishedSplits.clear();
        unassigned.clear();
    }

    @Override
    public TableSyncState snapshotState(long checkpointId) {
        if (phase == Phase.AWAIT_HOLD && holdCheckpoint < 0) {
            holdCheckpoint = checkpointId; // triggered after the start file was written
        }
        return new TableSyncState(List.copyOf(known), activeTable, activeKind);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (phase == Phase.AWAIT_HOLD && holdCheckpoint >= 0 && checkpointId >= holdCheckpoint) {
            phase = Phase.PREPARING;
            TableId table = activeTable;
            context.callAsync(() -> prepareReads(table), this::onPrepared);
        }
    }

    /** The table's current schema, the read position and the chunks (worker thread). */
    private List<ChunkSplit> prepareReads(TableId table) throws Exception {
        TableSchema schema = discover().stream()
                .filter(t -> t.id().equals(table))
                .findFirst()
                .orElseThrow(() -> new TableGone(
                        "the source has no table " + table + " that " + config.tablePatterns() + " select"));
        Position position = config.dialect().positionForReadsFromNow(connection());
        TableSplitting splitting = new TableSplitting(schema);
        splitting.planned(planner.plan(connection(), schema));
        List<ChunkSplit> splits = new ArrayList<>();
        while (!splitting.done()) {
            splits.add(planner.nextChunk(connection(), splitting).withPosition(position));
        }
        LOG.info("{}: {} chunk(s) to read at position {}", table, splits.size(), position);
        return splits;
    }

    private void onPrepared(List<ChunkSplit> splits, Throwable error) {
        if (error instanceof TableGone) {
            LOG.error("{}: not synced: {}", activeTable, error.getMessage());
            abandon();
            return;
        }
        if (error != null) {
            LOG.warn("{}: preparing the sync's reads failed (tried again): {}", activeTable, error.getMessage());
            closeConnectionLater();
            begin();
            return;
        }
        splits.forEach(s -> unfinishedSplits.add(s.splitId()));
        unassigned.addAll(splits);
        phase = Phase.READING;
        if (splits.isEmpty()) {
            end();
        }
        assignToWaitingReaders();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignToWaitingReaders();
    }

    private void assignToWaitingReaders() {
        for (var it = waitingReaders.iterator(); it.hasNext() && !unassigned.isEmpty(); ) {
            int reader = it.next();
            if (context.registeredReaders().containsKey(reader)) {
                context.assignSplit(unassigned.poll(), reader);
            }
            it.remove();
        }
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ChunkFinishedEvent finished
                && phase == Phase.READING
                && finished.table().equals(activeTable)
                && unfinishedSplits.remove(finished.splitId())
                && unfinishedSplits.isEmpty()) {
            end();
        }
    }

    /** Every chunk is read and its rows staged before the next checkpoint: the held files may go. */
    private void end() {
        try {
            control.ended(activeTable, activeKind);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the end file of the sync of " + activeTable, e);
        }
        phase = Phase.ENDED;
        LOG.info("{}: every row of the sync is read; loaded with the next checkpoint", activeTable);
    }

    /** The pre-commit step released the table and deleted the control files. */
    private void finish() {
        LOG.info("{}: sync complete ({})", activeTable, activeKind);
        if (activeKind == Kind.RESYNC) {
            dropRequest();
        }
        known.add(activeTable);
        knownSnapshot = Set.copyOf(known);
        activeTable = null;
        activeKind = null;
        phase = null;
    }

    /** A sync that cannot be done: its control files and request go, and the next one may start. */
    private void abandon() {
        try {
            control.clear(activeTable);
        } catch (IOException e) {
            LOG.warn("could not delete the control files of {}: {}", activeTable, e.toString());
        }
        if (activeKind == Kind.RESYNC) {
            dropRequest();
        }
        activeTable = null;
        activeKind = null;
        phase = null;
    }

    /** The table to sync is not (or no longer) in the source, or the patterns do not select it. */
    private static final class TableGone extends SQLException {
        private static final long serialVersionUID = 1L;

        TableGone(String message) {
            super(message);
        }
    }

    private void dropRequest() {
        try {
            control.requestDone(activeTable);
        } catch (IOException e) {
            LOG.warn("could not delete the re-sync request of {}: {}", activeTable, e.toString());
        }
    }

    @Override
    public void addSplitsBack(List<ChunkSplit> splits, int subtaskId) {
        splits.forEach(unassigned::addFirst);
    }

    @Override
    public void addReader(int subtaskId) {}

    /** The selected tables as the catalog has them now (worker thread). */
    private List<TableSchema> discover() throws SQLException {
        try {
            return config.dialect().discover(connection(), config.tablePatterns(), config.customKeys());
        } catch (SQLException e) {
            SourceConnections.closeQuietly(connection); // reopened by the next attempt
            connection = null;
            throw e;
        }
    }

    private Connection connection() {
        if (connection == null) {
            connection = SourceConnections.open(config, "table sync");
        }
        return connection;
    }

    private void closeConnectionLater() {
        context.callAsync(
                () -> {
                    SourceConnections.closeQuietly(connection);
                    connection = null;
                    return null;
                },
                (ignored, error) -> {});
    }

    @Override
    public void close() {
        SourceConnections.closeQuietly(connection);
    }
}
