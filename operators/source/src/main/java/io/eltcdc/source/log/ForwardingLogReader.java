package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;

/**
 * A change-log source's reader with something added: every method forwards to the delegate unless
 * a subclass overrides it (the readers of {@link ForwardingLogSource}s).
 *
 * @param <SplitT> the delegate's split type
 */
abstract class ForwardingLogReader<SplitT extends SourceSplit> implements SourceReader<ChangeRecord, SplitT> {
    protected final SourceReader<ChangeRecord, SplitT> delegate;

    ForwardingLogReader(SourceReader<ChangeRecord, SplitT> delegate) {
        this.delegate = delegate;
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
    public List<SplitT> snapshotState(long checkpointId) {
        return delegate.snapshotState(checkpointId);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public void addSplits(List<SplitT> splits) {
        delegate.addSplits(splits);
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
