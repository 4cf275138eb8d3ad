package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * A reader's per-table counters, in group {@code table=<schema.table>} of the reader's metric
 * group: {@code rowsRead} (records emitted) and {@code chunksFinished}.
 */
final class ReaderMetrics {
    private final MetricGroup readerGroup;
    private final Map<TableId, TableCounters> tables = new HashMap<>();

    ReaderMetrics(MetricGroup readerGroup) {
        this.readerGroup = readerGroup;
    }

    TableCounters of(TableId table) {
        return tables.computeIfAbsent(table, t -> {
            MetricGroup group = readerGroup.addGroup("table", t.toString());
            return new TableCounters(group.counter("rowsRead"), group.counter("chunksFinished"));
        });
    }

    record TableCounters(Counter rowsRead, Counter chunksFinished) {}
}
