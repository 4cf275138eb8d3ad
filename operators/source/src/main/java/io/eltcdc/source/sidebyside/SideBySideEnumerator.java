package io.eltcdc.source.sidebyside;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;

/**
 * Runs both sides' enumerators in the one coordinator: every call goes to both, or to the side it
 * names. Split requests come from the readers as {@link SideEvent}s (each side's reader asks for
 * itself), never through {@link #handleSplitRequest}.
 */
final class SideBySideEnumerator implements SplitEnumerator<SideSplit, Sides<Object>> {
    private final Sides<SplitEnumerator<SourceSplit, Object>> enumerators;

    SideBySideEnumerator(Sides<SplitEnumerator<SourceSplit, Object>> enumerators) {
        this.enumerators = enumerators;
    }

    @Override
    public void start() {
        enumerators.first().start();
        enumerators.second().start();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // The readers of each side ask through SideEvent.Kind.SPLIT_REQUEST.
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        if (!(sourceEvent instanceof SideEvent event)) {
            throw new IllegalArgumentException("not an event of a side: " + sourceEvent);
        }
        SplitEnumerator<SourceSplit, Object> enumerator = enumerators.get(event.side());
        switch (event.kind()) {
            case SPLIT_REQUEST -> enumerator.handleSplitRequest(subtaskId, null);
            case EVENT -> enumerator.handleSourceEvent(subtaskId, event.event());
            case NO_MORE_SPLITS -> throw new IllegalArgumentException("a reader sent " + event);
        }
    }

    @Override
    public void addSplitsBack(List<SideSplit> splits, int subtaskId) {
        Sides<List<SourceSplit>> bySide = SideSplit.bySide(splits);
        for (Side side : Side.values()) {
            if (!bySide.get(side).isEmpty()) {
                enumerators.get(side).addSplitsBack(bySide.get(side), subtaskId);
            }
        }
    }

    @Override
    public void addReader(int subtaskId) {
        enumerators.first().addReader(subtaskId);
        enumerators.second().addReader(subtaskId);
    }

    @Override
    public Sides<Object> snapshotState(long checkpointId) throws Exception {
        return new Sides<>(
                enumerators.first().snapshotState(checkpointId),
                enumerators.second().snapshotState(checkpointId));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        enumerators.first().notifyCheckpointComplete(checkpointId);
        enumerators.second().notifyCheckpointComplete(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) throws Exception {
        enumerators.first().notifyCheckpointAborted(checkpointId);
        enumerators.second().notifyCheckpointAborted(checkpointId);
    }

    @Override
    public void close() throws IOException {
        try {
            enumerators.first().close();
        } finally {
            enumerators.second().close();
        }
    }
}
