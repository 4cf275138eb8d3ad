package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink CDC change-log source whose checkpoints never fall between the two halves of a key
 * change (see {@link LogResumePoint}): while a pair is half emitted, the change-log split is
 * checkpointed with the offset of the record before the pair. Everything else is the delegate's;
 * the {@link LogSplitRewinder} knows the database's split type.
 *
 * <p>PostgreSQL: the slot is still told the delegate's own offset when the checkpoint completes;
 * that is harmless: the offset lies inside the pair's transaction, which commits after it, and
 * PostgreSQL sends a transaction again in full when it commits after the slot's confirmed
 * position. MySQL: the binlog offset names the event and row to restart from, which the rewound
 * offset moves back to the record before the pair.
 *
 * @param <SplitT> the delegate's split type
 * @param <StateT> the delegate's enumerator state type
 */
public final class KeyChangeSafeSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;

    private final LogResumePoint resumePoint;
    private final LogSplitRewinder<SplitT> rewinder;

    /** @param resumePoint the one the delegate's deserializer updates (the same object) */
    public KeyChangeSafeSource(
            Source<ChangeRecord, SplitT, StateT> delegate,
            LogResumePoint resumePoint,
            LogSplitRewinder<SplitT> rewinder) {
        super(delegate);
        this.resumePoint = resumePoint;
        this.rewinder = rewinder;
    }

    @Override
    public SourceReader<ChangeRecord, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new Reader<>(delegate.createReader(context), resumePoint, rewinder);
    }

    /** The delegate's reader, with the change-log split's checkpointed offset moved back when needed. */
    static final class Reader<SplitT extends SourceSplit> extends ForwardingLogReader<SplitT> {
        private static final Logger LOG = LoggerFactory.getLogger(KeyChangeSafeSource.class);

        private final LogResumePoint resumePoint;
        private final LogSplitRewinder<SplitT> rewinder;
        private Map<String, ?> logStart;

        Reader(
                SourceReader<ChangeRecord, SplitT> delegate,
                LogResumePoint resumePoint,
                LogSplitRewinder<SplitT> rewinder) {
            super(delegate);
            this.resumePoint = resumePoint;
            this.rewinder = rewinder;
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            for (SplitT split : splits) {
                Map<String, ?> start = rewinder.startOf(split);
                if (start != null) {
                    logStart = start;
                    resumePoint.started(start);
                }
            }
            delegate.addSplits(splits);
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            List<SplitT> splits = delegate.snapshotState(checkpointId);
            if (!resumePoint.halfEmitted()) {
                return splits;
            }
            List<SplitT> safe = new ArrayList<>(splits.size());
            for (SplitT split : splits) {
                Map<String, ?> at = rewinder.startOf(split);
                if (at == null) {
                    safe.add(split);
                    continue;
                }
                Map<String, ?> before = resumePoint.override() != null ? resumePoint.override() : logStart;
                LOG.info(
                        "Checkpoint {} falls inside a key change (a delete and a create from one log event):"
                                + " the change log resumes from {} instead of {}",
                        checkpointId,
                        before,
                        at);
                safe.add(rewinder.rewound(split, before));
            }
            return safe;
        }
    }
}
