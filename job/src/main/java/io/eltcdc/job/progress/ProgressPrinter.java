package io.eltcdc.job.progress;

import java.io.PrintStream;

/** Prints one progress line per table: chunks done/total, rows read, rows loaded. */
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
        out.flush();
    }

    String line(String table) {
        long total = metrics.value(table, "chunksTotal");
        return String.format("%s: chunks %d/%s, rows read %,d, rows loaded %,d", table,
                metrics.value(table, "chunksFinished"), total > 0 ? String.format("%,d", total) : "?",
                metrics.value(table, "rowsRead"), metrics.value(table, "rowsLoaded"));
    }

    /** Rows read over every table in this run. */
    public long rowsRead() {
        return metrics.tables().stream().mapToLong(t -> metrics.value(t, "rowsRead")).sum();
    }
}
