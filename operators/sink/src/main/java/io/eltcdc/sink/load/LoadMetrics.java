package io.eltcdc.sink.load;

import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.StagedFile;
import io.eltcdc.model.TableId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Flink metrics of the loader, per table under {@code table=<schema.table>}:
 * {@code filesStaged}, {@code bytesStaged}, {@code rowsLoaded} (records of the loaded batches),
 * {@code batchesLoaded}, {@code loadMillis} (the time its loads took, summed: with
 * {@code batchesLoaded}, the mean load duration over any window), {@code lastLoadMillis},
 * {@code lastLoadedCheckpoint} and {@code loadStopped} (1 once the table's loading stopped); and
 * for the whole loader {@code batchesWaiting} (committed batches not yet loaded),
 * {@code loadsRunning}, {@code loadsWaitingForDestination} (loads waiting out an unavailable
 * destination) and {@code destinationUnavailableSeconds} (how long the oldest of those waits, 0
 * when none does). Counters are updated by the load threads, one table at a time each.
 */
final class LoadMetrics {
    private final MetricGroup group;
    private final Map<TableId, TableMetrics> tables = new ConcurrentHashMap<>();
    private final Outages outages = new Outages();

    LoadMetrics(MetricGroup group) {
        this.group = group;
        group.gauge("loadsWaitingForDestination", outages::count);
        group.gauge("destinationUnavailableSeconds", outages::longestSeconds);
    }

    Outages outages() {
        return outages;
    }

    /** The loads waiting out an unavailable destination, by when their wait began (thread-safe). */
    static final class Outages {
        private final List<Long> startedNanos = new ArrayList<>();

        synchronized void started(long nanos) {
            startedNanos.add(nanos);
        }

        synchronized void ended(long nanos) {
            startedNanos.remove(Long.valueOf(nanos));
        }

        synchronized int count() {
            return startedNanos.size();
        }

        synchronized long longestSeconds() {
            long oldest = startedNanos.stream().mapToLong(Long::longValue).min().orElse(System.nanoTime());
            return Duration.ofNanos(System.nanoTime() - oldest).toSeconds();
        }
    }

    /** Registers the loader's queue gauges. */
    void queue(IntSupplier batchesWaiting, IntSupplier loadsRunning) {
        group.gauge("batchesWaiting", batchesWaiting::getAsInt);
        group.gauge("loadsRunning", loadsRunning::getAsInt);
    }

    void loaded(TableId table, List<StagedFile> files, LoadResult result, long checkpointId, long millis) {
        TableMetrics m = metricsOf(table);
        m.batches.inc();
        m.millis.inc(millis);
        m.lastMillis = millis;
        m.files.inc(files.size());
        m.bytes.inc(files.stream().mapToLong(StagedFile::sizeBytes).sum());
        m.rows.inc(result.rowsStaged());
        m.lastCheckpoint = checkpointId;
    }

    /** The table's loading stopped (an incompatible schema change): gauge {@code loadStopped} turns 1. */
    void stopped(TableId table) {
        metricsOf(table).stopped = true;
    }

    private TableMetrics metricsOf(TableId table) {
        return tables.computeIfAbsent(table, t -> new TableMetrics(group.addGroup("table", t.toString())));
    }

    private static final class TableMetrics {
        final Counter files;
        final Counter bytes;
        final Counter rows;
        final Counter batches;
        final Counter millis;
        volatile long lastMillis = -1;
        volatile long lastCheckpoint = -1;
        volatile boolean stopped;

        TableMetrics(MetricGroup g) {
            files = g.counter("filesStaged");
            bytes = g.counter("bytesStaged");
            rows = g.counter("rowsLoaded");
            batches = g.counter("batchesLoaded");
            millis = g.counter("loadMillis");
            g.gauge("lastLoadMillis", () -> lastMillis);
            g.gauge("lastLoadedCheckpoint", () -> lastCheckpoint);
            g.gauge("loadStopped", () -> stopped ? 1 : 0);
        }
    }
}
