package io.eltcdc.sink.load;

import io.eltcdc.model.sync.VerificationResultFile;
import io.eltcdc.model.sync.VerificationResultFile.Summary;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@code verify}'s result as the loader's gauges, read from the pipeline's control folder
 * ({@link VerificationResultFile}) at most every 30 s: {@code lastVerificationEpochSeconds} (0 before
 * any), {@code verifiedTables} and {@code driftedTables} (-1 before any), {@code tablesNotVerified}.
 */
final class VerificationGauges {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationGauges.class);
    static final Duration REFRESH = Duration.ofSeconds(30);

    private final VerificationResultFile file;
    private Optional<Summary> last = Optional.empty();
    private long readAtNanos;
    private boolean read;
    private boolean warned;

    private VerificationGauges(VerificationResultFile file) {
        this.file = file;
    }

    static void register(MetricGroup group, VerificationResultFile file) {
        VerificationGauges gauges = new VerificationGauges(file);
        group.gauge(
                "lastVerificationEpochSeconds",
                () -> gauges.current().map(s -> s.finished().getEpochSecond()).orElse(0L));
        group.gauge(
                "verifiedTables",
                () -> gauges.current().map(Summary::verifiedTables).orElse(-1));
        group.gauge(
                "driftedTables",
                () -> gauges.current().map(s -> s.drifted().size()).orElse(-1));
        group.gauge(
                "tablesNotVerified",
                () -> gauges.current().map(s -> s.notCompared().size()).orElse(-1));
    }

    /** The file's content, read again once {@link #REFRESH} has passed; the last one read while it cannot be. */
    synchronized Optional<Summary> current() {
        long now = System.nanoTime();
        if (!read || now - readAtNanos >= REFRESH.toNanos()) {
            read = true;
            readAtNanos = now;
            try {
                last = file.read();
                warned = false;
            } catch (Exception e) {
                if (!warned) {
                    LOG.warn("Cannot read the last verification's result {}: {}", file, e.getMessage());
                    warned = true;
                }
            }
        }
        return last;
    }
}
