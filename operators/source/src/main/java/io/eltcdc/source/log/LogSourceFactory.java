package io.eltcdc.source.log;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.mysql.MySqlBinlog;
import io.eltcdc.source.postgres.PostgresSlots;
import io.eltcdc.source.snapshot.ChunkSplitEnumerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
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
 * at the current end of the WAL). It fails instead, saying a re-sync is needed.
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
        checkLogStillThere(start);
        LOG.info(
                "Change-log source for {} starts {}",
                config,
                start == null ? "from its checkpointed offsets" : "at " + start);
        ChangeRecordDeserializer deserializer = new ChangeRecordDeserializer(config);
        return switch (config.kind()) {
            case POSTGRES -> postgres(deserializer);
            case MYSQL -> mysql(deserializer, start);
        };
    }

    private Source<ChangeRecord, ?, ?> postgres(ChangeRecordDeserializer deserializer) {
        Properties debezium = commonDebeziumProperties();
        debezium.setProperty("publication.name", config.publicationName());
        debezium.setProperty("publication.autocreate.mode", "disabled");
        debezium.setProperty("interval.handling.mode", "string");
        return new SlotMonitoredSource<>(
                PostgresIncrementalSource.<ChangeRecord>builder()
                        .hostname(config.host())
                        .port(config.port())
                        .database(config.database())
                        .schemaList(schemas())
                        .tableList(tableFilters())
                        .username(config.username())
                        .password(config.password() == null ? "" : config.password())
                        .slotName(config.slotName())
                        .decodingPluginName("pgoutput")
                        .startupOptions(StartupOptions.committed())
                        .scanNewlyAddedTableEnabled(false) // see tableFilters()
                        .heartbeatInterval(config.heartbeatInterval())
                        .debeziumProperties(debezium)
                        .deserializer(deserializer)
                        .build(),
                config);
    }

    private Source<ChangeRecord, ?, ?> mysql(ChangeRecordDeserializer deserializer, LogStart start) {
        Properties debezium = commonDebeziumProperties();
        debezium.setProperty("bigint.unsigned.handling.mode", "precise");
        var startup = start == null
                ? org.apache.flink.cdc.connectors.mysql.table.StartupOptions.latest() // unused: restored
                : org.apache.flink.cdc.connectors.mysql.table.StartupOptions.specificOffset(
                        start.binlogFile(), start.binlogOffset());
        return MySqlSource.<ChangeRecord>builder()
                .hostname(config.host())
                .port(config.port())
                .databaseList(schemas())
                .tableList(tableFilters())
                .username(config.username())
                .password(config.password() == null ? "" : config.password())
                .serverId(config.serverIdRange())
                .serverTimeZone(config.serverTimeZone())
                .startupOptions(startup)
                .scanNewlyAddedTableEnabled(false) // see tableFilters()
                .heartbeatInterval(config.heartbeatInterval())
                .debeziumProperties(debezium)
                .deserializer(deserializer)
                .build();
    }

    private static Properties commonDebeziumProperties() {
        Properties p = new Properties();
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        return p;
    }

    private String[] schemas() {
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
    private String[] tableFilters() {
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
            switch (config.kind()) {
                case POSTGRES -> {
                    if (!PostgresSlots.exists(c, config.slotName())) {
                        throw new LogGoneException("The replication slot '" + config.slotName() + "' of this pipeline"
                                + " no longer exists on " + config.host() + ":" + config.port() + "/"
                                + config.database() + ", so changes made since it was dropped are lost. A re-sync is"
                                + " needed: stop the pipeline, delete its state directory (and its destination"
                                + " tables if rows may have been deleted) and run it again.");
                    }
                }
                case MYSQL -> {
                    if (start != null && !MySqlBinlog.files(c).contains(start.binlogFile())) {
                        throw new LogGoneException("The binlog file " + start.binlogFile() + " the pipeline must"
                                + " continue from has been purged from " + config.host() + ":" + config.port()
                                + ", so changes made since are lost. A re-sync is needed: stop the pipeline, delete"
                                + " its state directory and run it again; keep binlogs longer"
                                + " (binlog_expire_logs_seconds / expire_logs_days) than a snapshot takes.");
                    }
                }
            }
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

        LogGoneException(String message) {
            super(message);
        }
    }
}
