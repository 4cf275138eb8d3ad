package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import org.apache.flink.api.connector.source.SourceEvent;

/** Sent by a reader to the enumerator when it has read a chunk to its end, for progress. */
final class ChunkFinishedEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final TableId table;
    private final String splitId;

    ChunkFinishedEvent(TableId table, String splitId) {
        this.table = table;
        this.splitId = splitId;
    }

    TableId table() {
        return table;
    }

    String splitId() {
        return splitId;
    }

    @Override
    public String toString() {
        return "ChunkFinished{" + splitId + '}';
    }
}
