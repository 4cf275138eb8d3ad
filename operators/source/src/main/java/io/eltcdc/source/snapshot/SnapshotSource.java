package io.eltcdc.source.snapshot;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.planner.ChunkPlanner;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The initial sync of a PostgreSQL database: a bounded FLIP-27 source that reads every row of the
 * selected tables once, in key-range chunks spread over the readers, as {@code READ} records that
 * carry the configured start position.
 *
 * <p>Enumerator: {@link ChunkSplitEnumerator} (lazy chunking, see {@link ChunkPlanner}). Readers:
 * one chunk query at a time, resumable from the last emitted key after a restore.
 */
public final class SnapshotSource
        implements Source<ChangeRecord, ChunkSplit, SnapshotEnumeratorState>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final SnapshotSourceConfig config;
    private final LogStartRecorder logStartRecorder;

    /** A snapshot-only source: rows carry {@link SnapshotSourceConfig#startPosition()}. */
    public SnapshotSource(SnapshotSourceConfig config) {
        this(config, null);
    }

    /**
     * A snapshot that a change-log source continues: before the first chunk, {@code logStartRecorder}
     * records where the log stands, and the rows carry that position.
     */
    public SnapshotSource(SnapshotSourceConfig config, LogStartRecorder logStartRecorder) {
        this.config = Objects.requireNonNull(config, "config");
        this.logStartRecorder = logStartRecorder;
    }

    public SnapshotSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ChangeRecord, ChunkSplit> createReader(SourceReaderContext readerContext) {
        return new SnapshotSourceReader(config, readerContext);
    }

    @Override
    public SplitEnumerator<ChunkSplit, SnapshotEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ChunkSplit> enumContext) {
        return new ChunkSplitEnumerator(
                enumContext, config, SnapshotEnumeratorState.initial(config.startPosition()), logStartRecorder);
    }

    @Override
    public SplitEnumerator<ChunkSplit, SnapshotEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ChunkSplit> enumContext, SnapshotEnumeratorState checkpoint) {
        return new ChunkSplitEnumerator(enumContext, config, checkpoint, logStartRecorder);
    }

    @Override
    public SimpleVersionedSerializer<ChunkSplit> getSplitSerializer() {
        return ChunkSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<SnapshotEnumeratorState> getEnumeratorCheckpointSerializer() {
        return SnapshotEnumeratorStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }
}
