package io.eltcdc.source.postgres;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.source.log.LogResumePoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.cdc.connectors.base.source.assigner.state.PendingSplitsState;
import org.apache.flink.cdc.connectors.base.source.meta.offset.Offset;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffset;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink CDC's PostgreSQL source whose checkpoints never fall between the two halves of a key
 * change (see {@link LogResumePoint}): while a pair is half emitted, the stream split is
 * checkpointed with the offset of the record before the pair. Everything else is the delegate's.
 *
 * <p>The slot is still told the delegate's own offset when the checkpoint completes; that is
 * harmless: the offset lies inside the pair's transaction, which commits after it, and PostgreSQL
 * sends a transaction again in full when it commits after the slot's confirmed position.
 */
public final class PostgresKeyChangeSafeSource
        implements Source<ChangeRecord, SourceSplitBase, PendingSplitsState>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final Source<ChangeRecord, SourceSplitBase, PendingSplitsState> delegate;
    private final LogResumePoint resumePoint;

    /** @param resumePoint the one the delegate's deserializer updates (the same object) */
    public PostgresKeyChangeSafeSource(
            Source<ChangeRecord, SourceSplitBase, PendingSplitsState> delegate, LogResumePoint resumePoint) {
        this.delegate = delegate;
        this.resumePoint = resumePoint;
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SourceReader<ChangeRecord, SourceSplitBase> createReader(SourceReaderContext context) throws Exception {
        return new Reader(delegate.createReader(context), resumePoint);
    }

    @Override
    public SplitEnumerator<SourceSplitBase, PendingSplitsState> createEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SourceSplitBase, PendingSplitsState> restoreEnumerator(
            SplitEnumeratorContext<SourceSplitBase> context, PendingSplitsState state) throws Exception {
        return delegate.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<SourceSplitBase> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<PendingSplitsState> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return ChangeRecordTypeInfo.INSTANCE;
    }

    /** The delegate's reader, with the stream split's checkpointed offset moved back when needed. */
    static final class Reader implements SourceReader<ChangeRecord, SourceSplitBase> {
        private static final Logger LOG = LoggerFactory.getLogger(PostgresKeyChangeSafeSource.class);

        private final SourceReader<ChangeRecord, SourceSplitBase> delegate;
        private final LogResumePoint resumePoint;
        private Offset streamStart;

        Reader(SourceReader<ChangeRecord, SourceSplitBase> delegate, LogResumePoint resumePoint) {
            this.delegate = delegate;
            this.resumePoint = resumePoint;
        }

        @Override
        public void addSplits(List<SourceSplitBase> splits) {
            for (SourceSplitBase split : splits) {
                if (split.isStreamSplit()) {
                    streamStart = split.asStreamSplit().getStartingOffset();
                    resumePoint.started(streamStart == null ? null : streamStart.getOffset());
                }
            }
            delegate.addSplits(splits);
        }

        @Override
        public List<SourceSplitBase> snapshotState(long checkpointId) {
            List<SourceSplitBase> splits = delegate.snapshotState(checkpointId);
            if (!resumePoint.halfEmitted()) {
                return splits;
            }
            List<SourceSplitBase> safe = new ArrayList<>(splits.size());
            for (SourceSplitBase split : splits) {
                safe.add(split.isStreamSplit() ? movedBack(split.asStreamSplit(), checkpointId) : split);
            }
            return safe;
        }

        private StreamSplit movedBack(StreamSplit split, long checkpointId) {
            Map<String, ?> before = resumePoint.override();
            Offset start = before == null ? streamStart : PostgresOffset.of(before);
            LOG.info(
                    "Checkpoint {} falls inside a key change (a delete and a create from one WAL message):"
                            + " the change log resumes from {} instead of {}",
                    checkpointId,
                    start,
                    split.getStartingOffset());
            return new StreamSplit(
                    split.splitId(),
                    start,
                    split.getEndingOffset(),
                    split.getFinishedSnapshotSplitInfos(),
                    split.getTableSchemas(),
                    split.getTotalFinishedSplitSize(),
                    split.isSuspended(),
                    split.isSnapshotCompleted());
        }

        @Override
        public void start() {
            delegate.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<ChangeRecord> output) throws Exception {
            return delegate.pollNext(output);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public void notifyNoMoreSplits() {
            delegate.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            delegate.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            delegate.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            delegate.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
            delegate.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
