package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.source.log.LogRetentionGuard.LimitReachedException;
import io.eltcdc.source.log.LogSourceFactory.LogGoneException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink CDC's PostgreSQL source, unchanged, plus a watch on its replication slot from its
 * enumerator, every 15 s:
 *
 * <ul>
 *   <li>gauge {@code walRetainedBytes}: how much WAL the slot holds on the server (current WAL
 *       position minus the slot's restart LSN). It grows when the pipeline falls behind or stops,
 *       and is what fills the server's disk if a slot is left unconsumed. -1 until first read or
 *       when unknown;
 *   <li>with {@code source.max-log-retention} ({@link LogRetention}): gauges
 *       {@code logRetentionLimitBytes} and {@code logRetentionPercent}, one warning at
 *       {@value LogRetention#WARN_PERCENT} %, and at the limit a stop without restarts (with
 *       {@code drop-slot}: after dropping the slot), so that the pipeline gives up before the server
 *       does ({@link LogRetentionGuard});
 *   <li>a slot PostgreSQL invalidated ({@code wal_status lost}) or that was dropped stops the
 *       pipeline at once with the re-sync it needs, in the words of
 *       {@link io.eltcdc.source.dialect.SourceKind#checkLogStillThere}.
 * </ul>
 *
 * <p>The stops are thrown from the enumerator's async handler, which fails the job; a
 * {@link SuppressRestartsException} makes that final (a restart cannot shrink the log).
 */
public final class SlotMonitoredSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlotMonitoredSource.class);
    static final String WAL_RETAINED_BYTES = "walRetainedBytes";
    static final String LIMIT_BYTES = "logRetentionLimitBytes";
    static final String PERCENT = "logRetentionPercent";
    private static final long PERIOD_MS = 15_000;

    private final CdcSourceConfig config;

    public SlotMonitoredSource(Source<ChangeRecord, SplitT, StateT> delegate, CdcSourceConfig config) {
        super(delegate);
        this.config = config;
    }

    @Override
    public SplitEnumerator<SplitT, StateT> createEnumerator(SplitEnumeratorContext<SplitT> context) throws Exception {
        monitor(context);
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, StateT> restoreEnumerator(SplitEnumeratorContext<SplitT> context, StateT state)
            throws Exception {
        monitor(context);
        return delegate.restoreEnumerator(context, state);
    }

    private void monitor(SplitEnumeratorContext<SplitT> context) {
        LogRetention retention = config.logRetention();
        LogRetentionGuard guard = new LogRetentionGuard(
                retention,
                "The replication slot '" + config.slotName() + "' on " + config.host() + ":" + config.port() + "/"
                        + config.database());
        Watch watch = new Watch(guard);
        AtomicLong retained = new AtomicLong(-1);
        context.metricGroup().gauge(WAL_RETAINED_BYTES, retained::get);
        if (retention.limited()) {
            context.metricGroup().gauge(LIMIT_BYTES, retention::maxBytes);
            context.metricGroup().gauge(PERCENT, () -> retention.percentOf(retained.get()));
        }
        context.callAsync(
                () -> poll(watch),
                (bytes, error) -> {
                    if (error instanceof LogGoneException || error instanceof LimitReachedException) {
                        LOG.error(error.getMessage());
                        throw new SuppressRestartsException(error); // fails the job, without restarts
                    }
                    if (error != null) {
                        LOG.warn(
                                "Could not read the WAL retained by replication slot {}: {}",
                                config.slotName(),
                                error.getMessage());
                        retained.set(-1);
                    } else {
                        retained.set(bytes);
                    }
                },
                0,
                PERIOD_MS);
    }

    /**
     * Reads what the slot holds, on the enumerator's worker thread: the bytes, or a
     * {@link LogGoneException} / {@link LimitReachedException} to stop the pipeline with. At the
     * limit with {@code drop-slot}, the slot is dropped here, once; later polls throw the same.
     */
    private long poll(Watch watch) throws SQLException {
        try (Connection c = config.openConnection()) {
            if (watch.stopMessage != null) {
                throw new LimitReachedException(watch.stopMessage);
            }
            long bytes = -1;
            String walStatus = null;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint,"
                            + " coalesce(wal_status, 'reserved') FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, config.slotName());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        bytes = rs.getLong(1);
                        bytes = rs.wasNull() ? -1 : bytes;
                        walStatus = rs.getString(2);
                    }
                }
            }
            if (walStatus == null || walStatus.equals("lost")) {
                config.kind().checkLogStillThere(c, config, null); // throws what was lost and the re-sync
            }
            String warning = watch.guard.warning(bytes);
            if (warning != null) {
                LOG.warn(warning);
            }
            if (watch.guard.atLimit(bytes)) {
                boolean dropped =
                        watch.guard.retention().dropAtLimit() && config.kind().dropLog(c, config);
                watch.stopMessage = watch.guard.limitMessage(bytes, dropped);
                throw new LimitReachedException(watch.stopMessage);
            }
            return bytes;
        }
    }

    /** One enumerator's watch; used on its worker thread only (one poll at a time). */
    private static final class Watch {
        final LogRetentionGuard guard;
        String stopMessage;

        Watch(LogRetentionGuard guard) {
            this.guard = guard;
        }
    }
}
