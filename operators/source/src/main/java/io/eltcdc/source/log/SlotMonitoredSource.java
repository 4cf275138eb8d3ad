package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink CDC's PostgreSQL source, unchanged, plus a gauge on its enumerator: {@code walRetainedBytes},
 * how much WAL the pipeline's replication slot holds on the server (current WAL position minus the
 * slot's restart LSN), read every 15 s. It grows when the pipeline falls behind or stops, and is
 * what fills the server's disk if a slot is left unconsumed. -1 until first read or when unknown.
 */
public final class SlotMonitoredSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SlotMonitoredSource.class);
    static final String WAL_RETAINED_BYTES = "walRetainedBytes";
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
        AtomicLong retained = new AtomicLong(-1);
        context.metricGroup().gauge(WAL_RETAINED_BYTES, retained::get);
        context.callAsync(
                this::walRetainedBytes,
                (bytes, error) -> {
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

    private long walRetainedBytes() throws Exception {
        try (Connection c = config.openConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)"
                        + "::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            ps.setString(1, config.slotName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
