package io.eltcdc.job.progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;

/**
 * The per-table metrics of the job running in this JVM, summed over subtasks: what the console
 * progress line shows. Filled by {@link ProgressMetricReporter} from Flink's own metric registry,
 * so the console shows the same numbers a metrics backend would. A metric's last value is kept
 * when Flink removes it (task finished), so totals survive the end of the job.
 */
public final class PipelineMetrics {
    private static final PipelineMetrics INSTANCE = new PipelineMetrics();

    private final Map<Key, List<Metric>> live = new ConcurrentHashMap<>();
    private final Map<Key, Long> retired = new ConcurrentHashMap<>();
    /** Pipeline-wide gauges (change-log lag, WAL retained), by name; a value is the max over subtasks. */
    private final Map<String, List<Metric>> pipeline = new ConcurrentHashMap<>();

    record Key(String table, String name) {}

    public static PipelineMetrics get() {
        return INSTANCE;
    }

    void add(String table, String name, Metric metric) {
        live.computeIfAbsent(new Key(table, name), k -> new ArrayList<>()).add(metric);
    }

    void remove(String table, String name, Metric metric) {
        Key key = new Key(table, name);
        List<Metric> metrics = live.get(key);
        if (metrics != null) {
            synchronized (metrics) {
                if (metrics.remove(metric)) {
                    retired.merge(key, valueOf(metric), Long::sum);
                }
            }
        }
    }

    void addPipelineGauge(String name, Metric metric) {
        pipeline.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(metric);
    }

    void removePipelineGauge(String name, Metric metric) {
        List<Metric> metrics = pipeline.get(name);
        if (metrics != null) {
            metrics.remove(metric);
        }
    }

    /** The largest value of pipeline-wide gauge {@code name} over subtasks; empty while none reports one (≥ 0). */
    public OptionalLong pipelineGauge(String name) {
        List<Metric> metrics = pipeline.getOrDefault(name, List.of());
        return metrics.stream()
                .mapToLong(PipelineMetrics::valueOf)
                .filter(v -> v >= 0)
                .max();
    }

    /** Forgets everything: a new run in the same JVM (tests) starts from zero. */
    public void reset() {
        live.clear();
        retired.clear();
        pipeline.clear();
    }

    /** The sum over subtasks of metric {@code name} of {@code table}, or 0. */
    public long value(String table, String name) {
        Key key = new Key(table, name);
        long sum = retired.getOrDefault(key, 0L);
        List<Metric> metrics = live.get(key);
        if (metrics != null) {
            synchronized (metrics) {
                for (Metric m : metrics) {
                    sum += valueOf(m);
                }
            }
        }
        return sum;
    }

    /** Every table that has reported any metric, sorted. */
    public List<String> tables() {
        TreeMap<String, Boolean> names = new TreeMap<>();
        live.keySet().forEach(k -> names.put(k.table(), true));
        retired.keySet().forEach(k -> names.put(k.table(), true));
        return new ArrayList<>(names.keySet());
    }

    private static long valueOf(Metric metric) {
        if (metric instanceof Counter c) {
            return c.getCount();
        }
        if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }
}
