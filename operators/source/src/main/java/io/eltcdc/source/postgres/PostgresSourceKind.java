package io.eltcdc.source.postgres;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Position;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.dialect.SourceKind;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.ChangeRecordDeserializer;
import io.eltcdc.source.log.KeyChangeSafeSource;
import io.eltcdc.source.log.LogPositions;
import io.eltcdc.source.log.LogSourceFactory;
import io.eltcdc.source.log.LogSourceFactory.LogGoneException;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.log.SlotMonitoredSource;
import io.eltcdc.source.log.TlsFilesSource;
import io.eltcdc.source.log.UnloggedValueFetcher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder.PostgresIncrementalSource;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * PostgreSQL as a source: its dialect, and a change log read through the pipeline's logical
 * replication slot and publication ({@link PostgresSlotRecorder}), which stay on the server until
 * dropped.
 */
public enum PostgresSourceKind implements SourceKind {
    INSTANCE;

    @Override
    public String urlPrefix() {
        return PostgresDialect.URL_PREFIX;
    }

    @Override
    public SourceDialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    /** Publishes the captured tables (or, to capture tables created later, their schemas) to the slot. */
    @Override
    public LogStartRecorder logStartRecorder(CdcSourceConfig config) {
        return new PostgresSlotRecorder(
                config.slotName(),
                config.publicationName(),
                config.captureNewTables() ? config.patterns().schemas() : null);
    }

    /** Flink CDC's incremental source, streaming from the pipeline's slot; its WAL retained is watched. */
    @Override
    public Source<ChangeRecord, ?, ?> logSource(
            CdcSourceConfig config, LogStart start, ChangeRecordDeserializer deserializer) {
        Properties debezium = LogSourceFactory.commonDebeziumProperties();
        debezium.setProperty("publication.name", config.publicationName());
        debezium.setProperty("publication.autocreate.mode", "disabled");
        debezium.setProperty("interval.handling.mode", "string");
        if (config.tls() != null) {
            // Debezium hands database.* to pgjdbc: the replication connection and its queries use them
            config.tls().addPgjdbcProperties(debezium, "database.");
        }
        return TlsFilesSource.of(
                new SlotMonitoredSource<>(
                        new KeyChangeSafeSource<>(
                                PostgresIncrementalSource.<ChangeRecord>builder()
                                        .hostname(config.host())
                                        .port(config.port())
                                        .database(config.database())
                                        .schemaList(LogSourceFactory.schemas(config))
                                        .tableList(LogSourceFactory.tableFilters(config))
                                        .username(config.username())
                                        .password(
                                                config.password() == null
                                                        ? ""
                                                        : config.password().value())
                                        .slotName(config.slotName())
                                        .decodingPluginName("pgoutput")
                                        .startupOptions(StartupOptions.committed())
                                        .scanNewlyAddedTableEnabled(false) // see LogSourceFactory.tableFilters
                                        .heartbeatInterval(config.heartbeatInterval())
                                        .debeziumProperties(debezium)
                                        .deserializer(deserializer)
                                        .build(),
                                deserializer.resumePoint(),
                                new PostgresStreamSplitRewinder()),
                        config),
                config.tls());
    }

    @Override
    public void checkLogStillThere(Connection c, CdcSourceConfig config, LogStart start) throws SQLException {
        String walStatus = PostgresSlots.walStatus(c, config.slotName());
        if (walStatus == null) {
            throw new LogGoneException(slotLost(config, "no longer exists", "it was dropped"));
        }
        if (walStatus.equals("lost")) {
            throw new LogGoneException(slotLost(config, INVALIDATED, "PostgreSQL removed the WAL it held"));
        }
    }

    /** Drops the pipeline's slot and publication, ending the reader's connection: the server frees the WAL. */
    @Override
    public boolean dropLog(Connection c, CdcSourceConfig config) throws SQLException {
        return PostgresSlots.dropWhileActive(c, config.slotName(), config.publicationName());
    }

    /**
     * PostgreSQL's words for a slot it invalidated ({@code max_slot_wal_keep_size}) or that is gone:
     * "can no longer get changes from replication slot", "This slot has been invalidated", and
     * SQLSTATE 42704 {@code replication slot "…" does not exist}.
     */
    @Override
    public Optional<String> lostLog(Throwable failure, CdcSourceConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("can no longer get changes from replication slot")
                    || message.contains("slot has been invalidated")) {
                return Optional.of(slotLost(config, INVALIDATED, "PostgreSQL removed the WAL it held"));
            }
            if (message.contains("replication slot") && message.contains("does not exist")) {
                return Optional.of(slotLost(config, "no longer exists", "it was dropped"));
            }
            if (message.contains("Publication autocreation is disabled")) {
                // Debezium's words for a missing publication: the slot decodes no change made without it.
                return Optional.of("The publication '" + config.publicationName() + "' of this pipeline no longer"
                        + " exists on " + config.host() + ":" + config.port() + "/" + config.database()
                        + ", so changes made since it was dropped are lost. " + RESYNC);
            }
        }
        return Optional.empty();
    }

    private static final String INVALIDATED =
            "was invalidated by PostgreSQL (it held more WAL than max_slot_wal_keep_size allows)";

    private static String slotLost(CdcSourceConfig config, String what, String since) {
        return "The replication slot '" + config.slotName() + "' of this pipeline " + what + " on " + config.host()
                + ":" + config.port() + "/" + config.database() + ", so changes made since " + since + " are lost. "
                + RESYNC;
    }

    private static final String RESYNC = "A re-sync is needed: stop the pipeline, delete its state directory (and its"
            + " destination tables if rows may have been deleted) and run it again.";

    @Override
    public String schemaField() {
        return "schema";
    }

    @Override
    public Position changePosition(Struct source) {
        return LogPositions.postgresChange(source.getInt64("lsn"));
    }

    /** The WAL has no unchanged TOASTed values: a key update's are read from the source. */
    @Override
    public UnloggedValueFetcher unloggedValueFetcher(CdcSourceConfig config) {
        return new ToastedValueFetcher(config);
    }

    @Override
    public String describeLogSettings(CdcSourceConfig config) {
        return ", slot=" + config.slotName() + ", publication=" + config.publicationName();
    }

    /** No replica server ids: the slot names the reader. */
    @Override
    public String serverIdRange(String configured, String pipeline, int parallelism) {
        return null;
    }

    /** Not used by the PostgreSQL log source. */
    @Override
    public String serverTimeZone(String configured, ConnectionOpener opener, String server) {
        return "UTC";
    }

    /** {@code wal_level=logical}; to capture tables created later, a server that publishes whole schemas. */
    @Override
    public void checkChangeLog(Connection c, boolean captureNewTables) throws SQLException {
        if (captureNewTables) {
            PostgresPublication.requireSchemaPublications(c);
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW wal_level")) {
            rs.next();
            if (!"logical".equals(rs.getString(1))) {
                throw new SQLException("continuous sync needs wal_level=logical on the PostgreSQL"
                        + " server (it is " + rs.getString(1) + "): set it in postgresql.conf and restart the"
                        + " server, or run with --snapshot-only");
            }
        }
    }

    @Override
    public String changeLogCheckHint() {
        return "";
    }

    /** Drops the pipeline's slot and publication. */
    @Override
    public String dropReplication(String pipeline, ConnectionOpener opener) throws SQLException {
        String slot = ReplicationNames.slot(pipeline);
        try (Connection c = opener.open()) {
            boolean existed = PostgresSlots.drop(c, slot, ReplicationNames.publication(pipeline));
            return existed
                    ? "Dropped replication slot " + slot + " and publication " + ReplicationNames.publication(pipeline)
                            + " of pipeline '" + pipeline + "'. Its next run needs a new initial sync (delete its"
                            + " state dir)."
                    : "Pipeline '" + pipeline + "' has no replication slot (" + slot + ") on the source; dropped its"
                            + " publication if there was one.";
        }
    }

    /**
     * Whether the pipeline has its slot: a continuous pipeline (the slot is not always held by a reader:
     * between the snapshot and the change log, during a restart), not a snapshot-only one.
     */
    @Override
    public boolean mayBeStreaming(String pipeline, ConnectionOpener opener) throws SQLException {
        try (Connection c = opener.open()) {
            return PostgresSlots.exists(c, ReplicationNames.slot(pipeline));
        }
    }

    /** As the change-log source's log line has always named it. */
    @Override
    public String toString() {
        return "POSTGRES";
    }
}
