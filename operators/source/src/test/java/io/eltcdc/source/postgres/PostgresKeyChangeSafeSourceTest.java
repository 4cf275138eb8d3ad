package io.eltcdc.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.source.log.KeyChangeSafeSource;
import io.eltcdc.source.log.LogResumePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitBase;
import org.apache.flink.cdc.connectors.base.source.meta.split.StreamSplit;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffset;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyChangeSafeSource} over Flink CDC's PostgreSQL splits: its reader checkpoints the stream
 * split with the offset before a half-emitted key change, and the delegate's split otherwise.
 */
class PostgresKeyChangeSafeSourceTest {
    private static final PostgresOffset START = PostgresOffset.of(Map.of("lsn", 100L));
    private static final PostgresOffset AT_DELETE = PostgresOffset.of(Map.of("lsn", 130L));

    private final LogResumePoint point = new LogResumePoint();
    private final FixedReader delegate = new FixedReader();
    private final SourceReader<ChangeRecord, SourceSplitBase> reader = reader(delegate, point);

    private static SourceReader<ChangeRecord, SourceSplitBase> reader(FixedReader delegate, LogResumePoint point) {
        Source<ChangeRecord, SourceSplitBase, Void> source = new Source<>() {
            @Override
            public Boundedness getBoundedness() {
                return Boundedness.CONTINUOUS_UNBOUNDED;
            }

            @Override
            public SourceReader<ChangeRecord, SourceSplitBase> createReader(SourceReaderContext context) {
                return delegate;
            }

            @Override
            public SplitEnumerator<SourceSplitBase, Void> createEnumerator(
                    SplitEnumeratorContext<SourceSplitBase> context) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SplitEnumerator<SourceSplitBase, Void> restoreEnumerator(
                    SplitEnumeratorContext<SourceSplitBase> context, Void state) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SimpleVersionedSerializer<SourceSplitBase> getSplitSerializer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
                throw new UnsupportedOperationException();
            }
        };
        try {
            return new KeyChangeSafeSource<>(source, point, new PostgresStreamSplitRewinder()).createReader(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCheckpointOutsideAKeyChangeKeepsTheDelegatesOffset() {
        reader.addSplits(List.of(split(START)));
        delegate.offset = AT_DELETE;

        assertThat(offsetOf(reader.snapshotState(1))).isEqualTo(AT_DELETE);
    }

    @Test
    void aCheckpointInsideAKeyChangeKeepsTheOffsetBeforeIt() {
        reader.addSplits(List.of(split(START)));
        point.emitted(record(120, null), "u");
        point.emitted(record(130, LogResumePoint.NEW_KEY), "d"); // the delete half of a key change
        delegate.offset = AT_DELETE;

        assertThat(offsetOf(reader.snapshotState(2))).isEqualTo(PostgresOffset.of(Map.of("lsn", 120L)));

        point.emitted(record(130, LogResumePoint.OLD_KEY), "c");
        assertThat(offsetOf(reader.snapshotState(3)))
                .as("the pair is whole again")
                .isEqualTo(AT_DELETE);
    }

    private static SourceRecord record(long lsn, String header) {
        ConnectHeaders headers = new ConnectHeaders();
        if (header != null) {
            headers.addString(header, "key");
        }
        return new SourceRecord(Map.of(), Map.of("lsn", lsn), "topic", null, null, null, null, null, null, headers);
    }

    private static Object offsetOf(List<SourceSplitBase> splits) {
        assertThat(splits).hasSize(1);
        return splits.get(0).asStreamSplit().getStartingOffset();
    }

    private static StreamSplit split(PostgresOffset start) {
        return new StreamSplit(
                StreamSplit.STREAM_SPLIT_ID, start, PostgresOffset.NO_STOPPING_OFFSET, new ArrayList<>(), Map.of(), 0);
    }

    /** Checkpoints its stream split at {@link #offset}, as Flink CDC's reader does after emitting. */
    private static final class FixedReader implements SourceReader<ChangeRecord, SourceSplitBase> {
        PostgresOffset offset;
        private StreamSplit split;

        @Override
        public void addSplits(List<SourceSplitBase> splits) {
            split = splits.get(0).asStreamSplit();
        }

        @Override
        public List<SourceSplitBase> snapshotState(long checkpointId) {
            return List.of(new StreamSplit(
                    split.splitId(),
                    offset,
                    split.getEndingOffset(),
                    split.getFinishedSnapshotSplitInfos(),
                    split.getTableSchemas(),
                    split.getTotalFinishedSplitSize()));
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<ChangeRecord> output) {
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return new CompletableFuture<>();
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }
}
