package io.eltcdc.source.mysql;

import io.eltcdc.config.TlsMaterial;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Position;
import io.eltcdc.source.dialect.LogStartRecorder;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.dialect.SourceKind;
import io.eltcdc.source.log.CdcSourceConfig;
import io.eltcdc.source.log.ChangeRecordDeserializer;
import io.eltcdc.source.log.KeyChangeSafeSource;
import io.eltcdc.source.log.LogBehindSource;
import io.eltcdc.source.log.LogPositions;
import io.eltcdc.source.log.LogSourceFactory;
import io.eltcdc.source.log.LogSourceFactory.LogGoneException;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.log.TlsFilesSource;
import io.eltcdc.source.log.UnloggedValueFetcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * MySQL and MariaDB as a source: their dialect, and a change log read from the server's own binlog
 * (file and offset), which keeps nothing on the server for the pipeline; how far behind the reader
 * is, in bytes of binlog, is gauge {@code binlogBehindBytes} ({@link LogBehindSource}).
 */
public enum MySqlSourceKind implements SourceKind {
    INSTANCE;

    @Override
    public String urlPrefix() {
        return MySqlDialect.URL_PREFIX;
    }

    @Override
    public SourceDialect dialect() {
        return MySqlDialect.INSTANCE;
    }

    @Override
    public LogStartRecorder logStartRecorder(CdcSourceConfig config) {
        return new MySqlBinlogRecorder();
    }

    /** Flink CDC's MySQL source, from the recorded binlog file and offset. */
    @Override
    public Source<ChangeRecord, ?, ?> logSource(
            CdcSourceConfig config, LogStart start, ChangeRecordDeserializer deserializer) {
        Properties debezium = LogSourceFactory.commonDebeziumProperties();
        debezium.setProperty("bigint.unsigned.handling.mode", "precise");
        if (config.tls() != null) {
            addDebeziumTls(debezium, config.tls());
        }
        var startup = start == null
                ? StartupOptions.latest() // unused: restored
                : StartupOptions.specificOffset(start.binlogFile(), start.binlogOffset());
        Properties jdbc = new Properties();
        if (config.tls() != null) {
            // Flink CDC's pool of JDBC connections takes these (and not Debezium's database.* keys)
            MySqlDialect.addConnectorJTls(jdbc, config.tls(), "");
        }
        MySqlSource<ChangeRecord> source = MySqlSource.<ChangeRecord>builder()
                .hostname(config.host())
                .port(config.port())
                .databaseList(LogSourceFactory.schemas(config))
                .tableList(LogSourceFactory.tableFilters(config))
                .username(config.username())
                .password(config.password() == null ? "" : config.password().value())
                .serverId(config.serverIdRange())
                .serverTimeZone(config.serverTimeZone())
                .startupOptions(startup)
                .scanNewlyAddedTableEnabled(false) // see LogSourceFactory.tableFilters
                .heartbeatInterval(config.heartbeatInterval())
                .debeziumProperties(debezium)
                .jdbcProperties(jdbc)
                .deserializer(deserializer)
                .build();
        MySqlBinlogSplitRewinder rewinder = new MySqlBinlogSplitRewinder();
        return TlsFilesSource.of(
                new LogBehindSource<>(
                        new KeyChangeSafeSource<>(source, deserializer.resumePoint(), rewinder), config, rewinder),
                config.tls());
    }

    /**
     * {@code source.tls} for Flink CDC's MySQL source: Debezium's {@code database.ssl.*} keys for the
     * binlog client (PKCS-12 trust and key stores, the JVM's default store type), and Connector/J's
     * own keys under {@code database.} for its JDBC connections.
     */
    static void addDebeziumTls(Properties p, TlsSettings tls) {
        p.setProperty(
                "database.ssl.mode",
                switch (tls.mode()) {
                    case DISABLE -> "disabled";
                    case REQUIRE -> "required";
                    case VERIFY_CA -> "verify_ca";
                    case VERIFY_FULL -> "verify_identity";
                });
        if (tls.caFile() != null) {
            TlsMaterial.Store trust = TlsMaterial.trustStore(tls.caFile());
            p.setProperty("database.ssl.truststore", trust.file());
            p.setProperty("database.ssl.truststore.password", trust.password());
        }
        if (tls.certFile() != null) {
            TlsMaterial.Store key = TlsMaterial.keyStore(tls.path() + ".key-file", tls.certFile(), tls.keyFile());
            p.setProperty("database.ssl.keystore", key.file());
            p.setProperty("database.ssl.keystore.password", key.password());
        }
        MySqlDialect.addConnectorJTls(p, tls, "database.");
    }

    private static final String RESYNC = "A re-sync is needed: stop the pipeline, delete its state directory and"
            + " run it again; keep binlogs longer (binlog_expire_logs_seconds / expire_logs_days) than a snapshot"
            + " takes and than the pipeline may be stopped.";

    @Override
    public void checkLogStillThere(Connection c, CdcSourceConfig config, LogStart start) throws SQLException {
        if (start != null && !MySqlBinlog.files(c).contains(start.binlogFile())) {
            throw new LogGoneException("The binlog file " + start.binlogFile() + " the pipeline must"
                    + " continue from has been purged from " + config.host() + ":" + config.port()
                    + ", so changes made since are lost. " + RESYNC);
        }
    }

    /**
     * MySQL's and Debezium's words for a binlog purged under the reader: error 1236 "Could not find
     * first log file name in binary log index file", and "is no longer available on the server".
     */
    @Override
    public Optional<String> lostLog(Throwable failure, CdcSourceConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("Could not find first log file name in binary log index file")
                    || message.contains("no longer available on the server")) {
                return Optional.of("The binlog the pipeline must continue from has been purged from " + config.host()
                        + ":" + config.port() + ", so changes made since are lost. " + RESYNC);
            }
        }
        return Optional.empty();
    }

    /** The binlog files from the offset's on, less the offset into its file. */
    @Override
    public long logBehindBytes(Connection c, Map<String, ?> offset) throws SQLException {
        Object file = offset.get("file");
        Object pos = offset.get("pos");
        if (file == null) {
            return -1;
        }
        return MySqlBinlog.bytesAfter(c, file.toString(), pos == null ? 0 : Long.parseLong(pos.toString()));
    }

    @Override
    public String schemaField() {
        return "db";
    }

    @Override
    public Position changePosition(Struct source) {
        Integer row = source.getInt32("row");
        return LogPositions.mysqlChange(source.getString("file"), source.getInt64("pos"), row == null ? 0 : row);
    }

    /** None: the binlog has full row images. */
    @Override
    public UnloggedValueFetcher unloggedValueFetcher(CdcSourceConfig config) {
        return null;
    }

    @Override
    public String describeLogSettings(CdcSourceConfig config) {
        return ", serverId=" + config.serverIdRange() + ", timeZone=" + config.serverTimeZone();
    }

    @Override
    public String serverIdRange(String configured, String pipeline, int parallelism) {
        return MySqlServerIds.of(configured, pipeline, parallelism);
    }

    @Override
    public String serverTimeZone(String configured, ConnectionOpener opener, String server) {
        return MySqlServerTimeZone.of(configured, opener, server);
    }

    /** Binlog on, in row format, with full row images. */
    @Override
    public void checkChangeLog(Connection c, boolean captureNewTables) throws SQLException {
        MySqlBinlog.checkRowLogging(c);
    }

    @Override
    public String changeLogCheckHint() {
        return " (or run with --snapshot-only)";
    }

    @Override
    public String dropReplication(String pipeline, ConnectionOpener opener) {
        return "A MySQL source keeps nothing on the server for the pipeline (the binlog is the server's own):"
                + " nothing to drop.";
    }

    /**
     * Whether a replica (a binlog dump thread the user can see) reads the binlog: the server cannot say
     * whose, so any one counts.
     */
    @Override
    public boolean mayBeStreaming(String pipeline, ConnectionOpener opener) throws SQLException {
        try (java.sql.Connection c = opener.open();
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /** As the change-log source's log line has always named it. */
    @Override
    public String toString() {
        return "MYSQL";
    }
}
