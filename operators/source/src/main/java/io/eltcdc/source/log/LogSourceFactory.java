package io.eltcdc.source.log;

import io.eltcdc.config.SecretUnavailableException;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.source.snapshot.ChunkSplitEnumerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the change-log source when the snapshot is done (the second source of the
 * {@link HybridSource}), from where the snapshot enumerator recorded the log stood:
 * PostgreSQL: Flink CDC's incremental source streaming from the pipeline's slot
 * ({@code StartupOptions.committed()}), MySQL: Flink CDC's MySQL source from the recorded binlog
 * file and offset. Both stream only: the snapshot is ours.
 *
 * <p>When the job is restored after the switch, the previous enumerator is gone and the log source
 * restores its own offsets from the checkpoint; the startup option is then not used.
 *
 * <p>Before it creates the source, it checks that the log it is to read still exists: a dropped
 * slot or a purged binlog would otherwise lose changes silently (Flink CDC would create a new slot
 * at the current end of the WAL). It fails instead, without restarts, saying a re-sync is needed;
 * and so does the source's reader when the log goes while it reads ({@link LostLogGuardSource}).
 */
public final class LogSourceFactory
        implements HybridSource.SourceFactory<ChangeRecord, Source<ChangeRecord, ?, ?>, ChunkSplitEnumerator> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LogSourceFactory.class);

    private final CdcSourceConfig config;

    public LogSourceFactory(CdcSourceConfig config) {
        this.config = config;
    }

    @Override
    public Source<ChangeRecord, ?, ?> create(HybridSource.SourceSwitchContext<ChunkSplitEnumerator> context) {
        ChunkSplitEnumerator snapshot = context.getPreviousEnumerator();
        LogStart start = snapshot == null ? null : snapshot.logStart();
        if (snapshot != null && start == null) {
            throw new IllegalStateException("the snapshot recorded no change-log position to continue from");
        }
        checkLogBeforeReading(config, start);
        logStart(config, start);
        return logSource(config, start, null);
    }

    /** Says where the change log is read from; once per run, where its enumerator is made. */
    static void logStart(CdcSourceConfig config, LogStart start) {
        LOG.info(
                "Change-log source for {} starts {}",
                config,
                start == null ? "from its checkpointed offsets" : "at " + start);
    }

    /**
     * Flink CDC's change-log source for the pipeline, from {@code start} (null: from its checkpointed
     * offsets), guarded against the log going while it reads.
     *
     * @param snapshotMarkers the snapshot-complete markers of a snapshot read beside the log; null
     *     when the log is read after the snapshot
     */
    public static Source<ChangeRecord, ?, ?> logSource(
            CdcSourceConfig config, LogStart start, TableSyncControl snapshotMarkers) {
        try {
            return LostLogGuardSource.guard(
                    config.kind().logSource(config, start, new ChangeRecordDeserializer(config, snapshotMarkers)),
                    config);
        } catch (SecretUnavailableException e) {
            throw new SuppressRestartsException(e); // the password's variable or file is missing here
        }
    }

    /**
     * Fails without restarts when the log to read from {@code start} (null: from the checkpointed
     * offsets) is gone: no restart brings it back.
     */
    static void checkLogBeforeReading(CdcSourceConfig config, LogStart start) {
        try {
            new LogSourceFactory(config).checkLogStillThere(start);
        } catch (LogGoneException e) {
            throw new SuppressRestartsException(e);
        } catch (SecretUnavailableException e) {
            throw new SuppressRestartsException(e);
        }
    }

    /** The Debezium settings of every source: values in the forms {@link DebeziumValues} converts. */
    public static Properties commonDebeziumProperties() {
        Properties p = new Properties();
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        return p;
    }

    /** The schemas (MySQL: databases) the log source reads. */
    public static String[] schemas(CdcSourceConfig config) {
        if (config.captureNewTables()) {
            return config.patterns().schemas().toArray(String[]::new);
        }
        return config.tables().stream().map(t -> t.id().schema()).distinct().toArray(String[]::new);
    }

    /**
     * Debezium's table filters, regular expressions over {@code schema.table}: the tables found at
     * start, or, to capture tables created later, the configured patterns themselves.
     *
     * <p>Flink CDC 3.5 started stream-only (our startup options) emits the events of a table that
     * was not there at start as soon as its name passes this filter, but only while
     * {@code scanNewlyAddedTableEnabled} is off (the default; set explicitly): with it on, such a
     * table waits for a snapshot of its own on a restore (PostgreSQL:
     * {@code IncrementalSourceStreamFetcher#hasEnterPureStreamPhase}, MySQL:
     * {@code BinlogSplitReader#hasEnterPureBinlogPhase}). The snapshot of a new table is ours.
     */
    public static String[] tableFilters(CdcSourceConfig config) {
        if (config.captureNewTables()) {
            return config.patterns().logFilters();
        }
        return config.tables().stream()
                .map(TableSchema::id)
                .map(TablePatterns::logFilter)
                .toArray(String[]::new);
    }

    public void checkLogStillThere(LogStart start) {
        try (Connection c = config.openConnection()) {
            config.kind().checkLogStillThere(c, config, start);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not check the change log of the source " + config.host() + ":" + config.port() + "/"
                            + config.database() + " before streaming: " + e.getMessage(),
                    e);
        }
    }

    /** The log the pipeline must read from is gone; only a re-sync can bring the destination back in step. */
    public static final class LogGoneException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public LogGoneException(String message) {
            super(message);
        }
    }
}
