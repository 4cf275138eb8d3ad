package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.source.log.LogSourceFactory.LogGoneException;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * A change-log source whose reader fails the job without restarts when the log it reads from is
 * gone (a slot PostgreSQL dropped or invalidated, a binlog MySQL purged), instead of failing the
 * same way at every restart, for ever: restarts cannot bring a log back, only a re-sync can.
 *
 * <ul>
 *   <li>The database's {@link io.eltcdc.source.dialect.SourceKind#lostLog} tells such a failure
 *       from the others (a server restarting, a network cut), which are left to the restarts.
 *   <li>The failure becomes a {@link LogGoneException} that says what was lost and what to do, with
 *       the driver's failure attached as suppressed, so that a run reports this message.
 * </ul>
 *
 * @param <SplitT> the delegate's split type
 * @param <StateT> the delegate's enumerator state type
 */
final class LostLogGuardSource<SplitT extends SourceSplit, StateT> extends ForwardingLogSource<SplitT, StateT> {
    private static final long serialVersionUID = 1L;

    private final CdcSourceConfig config;

    LostLogGuardSource(Source<ChangeRecord, SplitT, StateT> delegate, CdcSourceConfig config) {
        super(delegate);
        this.config = config;
    }

    /** {@code source}, guarded; a method of its own to name the wildcard types. */
    static <SplitT extends SourceSplit, StateT> Source<ChangeRecord, ?, ?> guard(
            Source<ChangeRecord, SplitT, StateT> source, CdcSourceConfig config) {
        return new LostLogGuardSource<>(source, config);
    }

    @Override
    public SourceReader<ChangeRecord, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new ForwardingLogReader<>(delegate.createReader(context)) {
            @Override
            public InputStatus pollNext(ReaderOutput<ChangeRecord> output) throws Exception {
                try {
                    return delegate.pollNext(output);
                } catch (Exception e) {
                    throw translated(e);
                }
            }
        };
    }

    private Exception translated(Exception failure) {
        return config.kind()
                .lostLog(failure, config)
                .<Exception>map(message -> {
                    LogGoneException gone = new LogGoneException(message);
                    gone.addSuppressed(failure);
                    return new SuppressRestartsException(gone);
                })
                .orElse(failure);
    }
}
