package io.eltcdc.sink.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.model.sync.VerificationResultFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationGaugesTest {
    @TempDir
    Path dir;

    @Test
    void showTheLastVerificationOnceThereIsOne() throws Exception {
        VerificationResultFile file = new VerificationResultFile(dir.toUri().toString(), "shop");
        Map<String, Gauge<?>> gauges = new HashMap<>();
        VerificationGauges.register(
                new UnregisteredMetricsGroup() {
                    @Override
                    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
                        gauges.put(name, gauge);
                        return gauge;
                    }
                },
                file);

        assertThat(value(gauges, "lastVerificationEpochSeconds")).isEqualTo(0L);
        assertThat(value(gauges, "verifiedTables")).isEqualTo(-1);
        assertThat(value(gauges, "driftedTables")).isEqualTo(-1);

        file.write(
                "shop",
                new VerificationResultFile.Summary(
                        Instant.ofEpochSecond(1_700_000_000), 5, List.of("public.a", "public.b"), List.of("public.c")));
        // a new registration reads at once (the first one reads the file again after 30 s)
        Map<String, Gauge<?>> fresh = new HashMap<>();
        VerificationGauges.register(
                new UnregisteredMetricsGroup() {
                    @Override
                    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
                        fresh.put(name, gauge);
                        return gauge;
                    }
                },
                file);
        assertThat(value(fresh, "lastVerificationEpochSeconds")).isEqualTo(1_700_000_000L);
        assertThat(value(fresh, "verifiedTables")).isEqualTo(5);
        assertThat(value(fresh, "driftedTables")).isEqualTo(2);
        assertThat(value(fresh, "tablesNotVerified")).isEqualTo(1);
    }

    private static Object value(Map<String, Gauge<?>> gauges, String name) {
        Metric metric = gauges.get(name);
        return ((Gauge<?>) metric).getValue();
    }
}
