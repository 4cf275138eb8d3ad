package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change-log source whose reader reports gauge {@code binlogBehindBytes}: how much log the server
 * has written after the position the pipeline would resume from (the log split's offset at the
 * last checkpoint, or where it started), in the words of
 * {@link io.eltcdc.source.dialect.SourceKind#logBehindBytes} (MySQL: the binlog files from that
 * file on, less the offset into it), read every 15 s on a thread of the reader's own. It grows when
 * the pipeline falls behind or checkpoints fail; what MySQL purges by age is lost to a pipeline
 * that far behind. -1 until known.
 *
 * @param <SplitT> the delegate's split type
 * @param <StateT> the delegate's enumerator state type
 */
public final class LogBehindSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LogBehindSource.class);
    static final String BINLOG_BEHIND_BYTES = "binlogBehindBytes";
    private static final long PERIOD_SECONDS = 15;

    private final CdcSourceConfig config;
    private final LogSplitRewinder<SplitT> rewinder;

    /** @param rewinder reads the offset of the database's log split */
    public LogBehindSource(
            Source<ChangeRecord, SplitT, StateT> delegate, CdcSourceConfig config, LogSplitRewinder<SplitT> rewinder) {
        super(delegate);
        this.config = config;
        this.rewinder = rewinder;
    }

    @Override
    public SourceReader<ChangeRecord, SplitT> createReader(SourceReaderContext context) throws Exception {
        AtomicReference<Map<String, ?>> resumeAt = new AtomicReference<>();
        AtomicLong behind = new AtomicLong(-1);
        context.metricGroup().gauge(BINLOG_BEHIND_BYTES, behind::get);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elt-cdc-log-behind");
            t.setDaemon(true);
            return t;
        });
        return new ForwardingLogReader<>(delegate.createReader(context)) {
            @Override
            public void start() {
                delegate.start();
                timer.scheduleWithFixedDelay(
                        () -> behind.set(measure(resumeAt.get())), 0, PERIOD_SECONDS, TimeUnit.SECONDS);
            }

            @Override
            public void addSplits(List<SplitT> splits) {
                remember(splits);
                delegate.addSplits(splits);
            }

            @Override
            public List<SplitT> snapshotState(long checkpointId) {
                List<SplitT> splits = delegate.snapshotState(checkpointId);
                remember(splits);
                return splits;
            }

            private void remember(List<SplitT> splits) {
                for (SplitT split : splits) {
                    Map<String, ?> offset = rewinder.startOf(split);
                    if (offset != null) {
                        resumeAt.set(offset);
                    }
                }
            }

            @Override
            public void close() throws Exception {
                timer.shutdownNow();
                delegate.close();
            }
        };
    }

    private long measure(Map<String, ?> offset) {
        if (offset == null) {
            return -1;
        }
        try (Connection c = config.openConnection()) {
            return config.kind().logBehindBytes(c, offset);
        } catch (Exception e) {
            LOG.debug("Could not read how far the change log is behind: {}", e.getMessage());
            return -1;
        }
    }
}
