package io.eltcdc.source.postgres;

import io.eltcdc.source.log.LogSplitRewinder;
import java.util.Map;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffset;

/** Flink CDC's PostgreSQL stream split, for {@link io.eltcdc.source.log.KeyChangeSafeSource}. */
final class PostgresStreamSplitRewinder implements LogSplitRewinder<SourceSplitBase> {
    private static final long serialVersionUID = 1L;

    @Override
    public Map<String, ?> startOf(SourceSplitBase split) {
        if (!split.isStreamSplit() || split.asStreamSplit().getStartingOffset() == null) {
            return null;
        }
        return split.asStreamSplit().getStartingOffset().getOffset();
    }

    @Override
    public SourceSplitBase rewound(SourceSplitBase split, Map<String, ?> offset) {
        StreamSplit stream = split.asStreamSplit();
        return new StreamSplit(
                stream.splitId(),
                PostgresOffset.of(offset),
                stream.getEndingOffset(),
                stream.getFinishedSnapshotSplitInfos(),
                stream.getTableSchemas(),
                stream.getTotalFinishedSplitSize(),
                stream.isSuspended(),
                stream.isSnapshotCompleted());
    }
}
