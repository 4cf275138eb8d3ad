package io.eltcdc.source.sidebyside;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * One side's view of the enumerator context: its splits and events are tagged with the side, and
 * its "no more splits" ends only its own side's reader (the other side goes on).
 */
final class SideEnumeratorContext implements SplitEnumeratorContext<SourceSplit> {
    private final Side side;
    private final SplitEnumeratorContext<SideSplit> context;

    SideEnumeratorContext(Side side, SplitEnumeratorContext<SideSplit> context) {
        this.side = side;
        this.context = context;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return context.metricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
        context.sendEventToSourceReader(subtaskId, SideEvent.of(side, event));
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, int attemptNumber, SourceEvent event) {
        context.sendEventToSourceReader(subtaskId, attemptNumber, SideEvent.of(side, event));
    }

    @Override
    public int currentParallelism() {
        return context.currentParallelism();
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return context.registeredReaders();
    }

    @Override
    public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
        return context.registeredReadersOfAttempts();
    }

    @Override
    public void assignSplits(SplitsAssignment<SourceSplit> assignment) {
        Map<Integer, List<SideSplit>> tagged = new HashMap<>();
        assignment.assignment().forEach((subtask, splits) -> {
            List<SideSplit> out = new ArrayList<>(splits.size());
            splits.forEach(s -> out.add(new SideSplit(side, s)));
            tagged.put(subtask, out);
        });
        context.assignSplits(new SplitsAssignment<>(tagged));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        context.sendEventToSourceReader(subtask, new SideEvent(side, SideEvent.Kind.NO_MORE_SPLITS, null));
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        context.callAsync(callable, handler);
    }

    @Override
    public <T> void callAsync(
            Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelayMillis, long periodMillis) {
        context.callAsync(callable, handler, initialDelayMillis, periodMillis);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        context.runInCoordinatorThread(runnable);
    }

    @Override
    public void setIsProcessingBacklog(boolean isProcessingBacklog) {
        // Backlog is the whole source's: the change log's reader says so (Flink CDC sets it during
        // its own snapshot, which ours replaces); the snapshot beside it does not.
        if (side == Side.SECOND) {
            context.setIsProcessingBacklog(isProcessingBacklog);
        }
    }
}
