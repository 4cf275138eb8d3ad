package io.eltcdc.source.sidebyside;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/** One side's view of the reader context: its split requests and events go to its own enumerator. */
final class SideReaderContext implements SourceReaderContext {
    private final Side side;
    private final SourceReaderContext context;

    SideReaderContext(Side side, SourceReaderContext context) {
        this.side = side;
        this.context = context;
    }

    @Override
    public SourceReaderMetricGroup metricGroup() {
        return context.metricGroup();
    }

    @Override
    public Configuration getConfiguration() {
        return context.getConfiguration();
    }

    @Override
    public String getLocalHostName() {
        return context.getLocalHostName();
    }

    @Override
    public int getIndexOfSubtask() {
        return context.getIndexOfSubtask();
    }

    @Override
    public void sendSplitRequest() {
        context.sendSourceEventToCoordinator(new SideEvent(side, SideEvent.Kind.SPLIT_REQUEST, null));
    }

    @Override
    public void sendSourceEventToCoordinator(SourceEvent sourceEvent) {
        context.sendSourceEventToCoordinator(SideEvent.of(side, sourceEvent));
    }

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return context.getUserCodeClassLoader();
    }

    @Override
    public int currentParallelism() {
        return context.currentParallelism();
    }
}
