package io.eltcdc.source.snapshot;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.source.dialect.SnapshotRow;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The snapshot source's reader: asks the enumerator for one chunk at a time, reads it with a
 * {@link ChunkSplitReader}, and asks for the next when it is done. Checkpoints hold the unfinished
 * chunk with the key (or row location) of the last row emitted.
 */
final class SnapshotSourceReader
        extends SingleThreadMultiplexSourceReaderBase<SnapshotRow, ChangeRecord, ChunkSplit, ChunkSplitState> {
    private final ReaderMetrics metrics;
    private final ReaderConnections connections;

    SnapshotSourceReader(SnapshotSourceConfig config, SourceReaderContext context) {
        this(config, context, new ReaderMetrics(context.metricGroup()), new ReaderConnections(config));
    }

    private SnapshotSourceReader(
            SnapshotSourceConfig config,
            SourceReaderContext context,
            ReaderMetrics metrics,
            ReaderConnections connections) {
        // Flink makes a new split reader whenever the last one ran out of chunks: they share the connection.
        super(
                () -> new ChunkSplitReader(config, connections),
                new SnapshotRecordEmitter(metrics),
                context.getConfiguration(),
                context);
        this.metrics = metrics;
        this.connections = connections;
    }

    @Override
    public void start() {
        // A reader restored with chunks reads those first and asks when one finishes.
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ChunkSplitState> finished) {
        for (ChunkSplitState state : finished.values()) {
            ChunkSplit split = state.split();
            metrics.of(split.table()).chunksFinished().inc();
            context.sendSourceEventToCoordinator(new ChunkFinishedEvent(split.table(), split.splitId()));
        }
        context.sendSplitRequest();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close(); // stops the split readers first
        } finally {
            connections.close();
        }
    }

    @Override
    protected ChunkSplitState initializedState(ChunkSplit split) {
        return new ChunkSplitState(split);
    }

    @Override
    protected ChunkSplit toSplitType(String splitId, ChunkSplitState state) {
        return state.toSplit();
    }
}
