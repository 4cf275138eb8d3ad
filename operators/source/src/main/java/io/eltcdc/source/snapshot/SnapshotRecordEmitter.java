package io.eltcdc.source.snapshot;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SnapshotRow;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits a row's record and then records it as the chunk's progress, so that a checkpoint taken
 * between two rows stores exactly the rows emitted before it.
 */
final class SnapshotRecordEmitter implements RecordEmitter<SnapshotRow, ChangeRecord, ChunkSplitState> {
    private final ReaderMetrics metrics;
    private TableSchema lastSchema;
    private ReaderMetrics.TableCounters lastCounters;

    SnapshotRecordEmitter(ReaderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(SnapshotRow row, SourceOutput<ChangeRecord> output, ChunkSplitState split) {
        ChangeRecord record = row.record();
        output.collect(record);
        TableSchema schema = record.schema();
        if (split.split().readOrder() == ChunkSplit.ReadOrder.KEY) {
            split.emittedValues(record.values());
        } else {
            split.emittedAt(row.rowLocation());
        }
        if (schema != lastSchema) { // rows of one chunk share their schema instance
            lastSchema = schema;
            lastCounters = metrics.of(schema.id());
        }
        lastCounters.rowsRead().inc();
    }
}
