package io.eltcdc.job.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.metrics.Gauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The progress line of the change log: lag, the slot's WAL and its limit, MySQL's binlog behind. */
class ProgressPrinterTest {
    private final PipelineMetrics metrics = PipelineMetrics.get();

    @AfterEach
    void forget() {
        metrics.reset();
    }

    @Test
    void theWalLineShowsTheShareOfTheLimit() {
        metrics.reset();
        metrics.addPipelineGauge("currentFetchEventTimeLag", (Gauge<Long>) () -> 1200L);
        metrics.addPipelineGauge("walRetainedBytes", (Gauge<Long>) () -> 42_000_000L);
        metrics.addPipelineGauge("logRetentionLimitBytes", (Gauge<Long>) () -> 50_000_000L);

        assertThat(new ProgressPrinter(metrics, new PrintStream(new ByteArrayOutputStream())).changeLogLine())
                .isEqualTo("change log: 1,200 ms behind the source, replication slot holds 42.0 MB of WAL"
                        + " (84 % of max-log-retention 50.0 MB)");
    }

    @Test
    void aMySqlLineShowsTheBinlogBehind() {
        metrics.reset();
        metrics.addPipelineGauge("binlogBehindBytes", (Gauge<Long>) () -> 3_500_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new ProgressPrinter(metrics, new PrintStream(out, true, StandardCharsets.UTF_8)).print();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("change log: no change read yet, 3.5 MB of binlog behind" + System.lineSeparator());
    }

    @Test
    void aTableLineSaysWhenItsSnapshotIsCompleteBesideTheWalTheSlotHolds() {
        metrics.reset();
        metrics.add("shop.orders", "chunksFinished", (Gauge<Long>) () -> 4L);
        metrics.add("shop.orders", "chunksTotal", (Gauge<Long>) () -> 4L);
        metrics.add("shop.orders", "snapshotComplete", (Gauge<Integer>) () -> 1);
        metrics.add("shop.items", "chunksFinished", (Gauge<Long>) () -> 1L);
        metrics.add("shop.items", "chunksTotal", (Gauge<Long>) () -> 9L);
        metrics.add("shop.items", "snapshotComplete", (Gauge<Integer>) () -> 0);
        metrics.addPipelineGauge("walRetainedBytes", (Gauge<Long>) () -> 2_000_000L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new ProgressPrinter(metrics, new PrintStream(out, true, StandardCharsets.UTF_8)).print();

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "shop.items: chunks 1/9, rows read 0, rows loaded 0",
                        "shop.orders: chunks 4/4, rows read 0, rows loaded 0, snapshot read",
                        "change log: no change read yet, replication slot holds 2.0 MB of WAL");
    }
}
