package io.eltcdc.job.progress;

import java.io.PrintStream;
import java.util.OptionalLong;

/**
 * Prints one progress line per table (chunks done/total, rows read, rows loaded, whether its loading
 * stopped) and, once the change log is read, one line about it: how far behind the source it is
 * and the WAL its slot holds (and of its {@code max-log-retention}).
 */
public final class ProgressPrinter {
    private final PipelineMetrics metrics;
    private final PrintStream out;

    public ProgressPrinter(PipelineMetrics metrics, PrintStream out) {
        this.metrics = metrics;
        this.out = out;
    }

    public void print() {
        for (String table : metrics.tables()) {
            out.println(line(table));
        }
        String log = changeLogLine();
        if (log != null) {
            out.println(log);
        }
        out.flush();
    }

    String line(String table) {
        long total = metrics.value(table, "chunksTotal");
        return String.format(
                "%s: chunks %d/%s, rows read %,d, rows loaded %,d%s%s",
                table,
                metrics.value(table, "chunksFinished"),
                total > 0 ? String.format("%,d", total) : "?",
                metrics.value(table, "rowsRead"),
                metrics.value(table, "rowsLoaded"),
                metrics.value(table, "snapshotComplete") > 0 ? ", snapshot read" : "",
                metrics.value(table, "loadStopped") > 0
                        ? ", loading STOPPED: the table needs a re-sync (see the log)"
                        : "");
    }

    /** The change-log line, or null before the change log is read. */
    String changeLogLine() {
        OptionalLong lag = metrics.pipelineGauge(ProgressMetricReporter.LAG);
        OptionalLong wal = metrics.pipelineGauge(ProgressMetricReporter.WAL_RETAINED);
        OptionalLong binlog = metrics.pipelineGauge(ProgressMetricReporter.BINLOG_BEHIND);
        if (lag.isEmpty() && wal.isEmpty() && binlog.isEmpty()) {
            return null;
        }
        return "change log: "
                + (lag.isPresent() ? String.format("%,d ms behind the source", lag.getAsLong()) : "no change read yet")
                + (wal.isPresent()
                        ? String.format(", replication slot holds %,.1f MB of WAL", wal.getAsLong() / 1e6)
                                + limit(wal.getAsLong())
                        : "")
                + (binlog.isPresent() ? String.format(", %,.1f MB of binlog behind", binlog.getAsLong() / 1e6) : "");
    }

    /** {@code  (84 % of max-log-retention 50.0 MB)}, or "" without a limit. */
    private String limit(long wal) {
        OptionalLong limit = metrics.pipelineGauge(ProgressMetricReporter.LOG_RETENTION_LIMIT);
        if (limit.isEmpty() || limit.getAsLong() <= 0) {
            return "";
        }
        return String.format(
                " (%d %% of max-log-retention %,.1f MB)", wal * 100 / limit.getAsLong(), limit.getAsLong() / 1e6);
    }

    /** Rows read over every table in this run. */
    public long rowsRead() {
        return metrics.tables().stream()
                .mapToLong(t -> metrics.value(t, "rowsRead"))
                .sum();
    }
}
