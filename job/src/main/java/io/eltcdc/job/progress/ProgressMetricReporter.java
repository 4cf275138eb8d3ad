package io.eltcdc.job.progress;

import java.util.Properties;
import java.util.Set;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter, registered only in the local mini-cluster, that hands the pipeline's
 * per-table metrics (those in a {@code table} group) and the change log's gauges (Flink CDC's
 * {@code currentFetchEventTimeLag}, the slot's {@code walRetainedBytes} and its limit, MySQL's {@code binlogBehindBytes}) to {@link PipelineMetrics}.
 */
public final class ProgressMetricReporter implements MetricReporter {
    static final String TABLE_VARIABLE = "<table>";
    private static final Set<String> NAMES = Set.of(
            "rowsRead",
            "chunksFinished",
            "chunksTotal",
            "rowsLoaded",
            "filesStaged",
            "bytesStaged",
            "loadStopped",
            "snapshotComplete");
    static final String LAG = "currentFetchEventTimeLag";
    static final String WAL_RETAINED = "walRetainedBytes";
    static final String LOG_RETENTION_LIMIT = "logRetentionLimitBytes";
    static final String LOG_RETENTION_PERCENT = "logRetentionPercent";
    static final String BINLOG_BEHIND = "binlogBehindBytes";
    private static final Set<String> PIPELINE_GAUGES =
            Set.of(LAG, WAL_RETAINED, LOG_RETENTION_LIMIT, LOG_RETENTION_PERCENT, BINLOG_BEHIND);

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String table = group.getAllVariables().get(TABLE_VARIABLE);
        if (table != null && NAMES.contains(metricName)) {
            PipelineMetrics.get().add(table, metricName, metric);
        } else if (PIPELINE_GAUGES.contains(metricName)) {
            PipelineMetrics.get().addPipelineGauge(metricName, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        String table = group.getAllVariables().get(TABLE_VARIABLE);
        if (table != null && NAMES.contains(metricName)) {
            PipelineMetrics.get().remove(table, metricName, metric);
        } else if (PIPELINE_GAUGES.contains(metricName)) {
            PipelineMetrics.get().removePipelineGauge(metricName, metric);
        }
    }

    /** Named in the mini-cluster's configuration as {@code metrics.reporter.progress.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new ProgressMetricReporter();
        }
    }
}
