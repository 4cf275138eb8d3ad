package io.eltcdc.source.log;

import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceKind;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What the change-log source reads: the server, the captured tables (as the snapshot saw them),
 * and the source-specific settings. The password is a {@link Secret}: it travels in the job as the
 * pipeline file wrote it (a reference stays a reference) and is resolved only to open a connection;
 * never printed.
 *
 * @param slotName PostgreSQL: the pipeline's replication slot
 * @param publicationName PostgreSQL: the pipeline's publication
 * @param serverIdRange MySQL: the replica server id(s) the reader uses, e.g. {@code 5400-5403}
 * @param serverTimeZone the source server's time zone (MySQL TIMESTAMP values; PostgreSQL: unused)
 * @param heartbeatInterval how often the source writes a heartbeat, so the slot / offset moves on while
 *     the captured tables are quiet
 * @param patterns the configured {@code source.tables} patterns and custom keys
 * @param captureNewTables whether tables the patterns select that are created after the start are
 *     read too ({@code source.capture-new-tables}); otherwise only {@code tables}
 * @param tls {@code source.tls}, used by every connection (the checks, the log reader's); null for none
 * @param logRetention how much log the server may hold for the pipeline, and what happens at the
 *     limit ({@code source.max-log-retention}); {@link LogRetention#UNLIMITED} by default
 */
public record CdcSourceConfig(
        SourceKind kind,
        String host,
        int port,
        String database,
        String username,
        Secret password,
        List<TableSchema> tables,
        String slotName,
        String publicationName,
        String serverIdRange,
        String serverTimeZone,
        Duration heartbeatInterval,
        TablePatterns patterns,
        boolean captureNewTables,
        TlsSettings tls,
        LogRetention logRetention)
        implements Serializable {

    public CdcSourceConfig {
        Objects.requireNonNull(kind, "kind");
        logRetention = logRetention == null ? LogRetention.UNLIMITED : logRetention;
        tables = List.copyOf(tables);
        Objects.requireNonNull(patterns, "patterns");
    }

    /** Without TLS settings (the drivers' defaults) and without a limit on the log the server holds for the pipeline. */
    public CdcSourceConfig(
            SourceKind kind,
            String host,
            int port,
            String database,
            String username,
            String password,
            List<TableSchema> tables,
            String slotName,
            String publicationName,
            String serverIdRange,
            String serverTimeZone,
            Duration heartbeatInterval,
            TablePatterns patterns,
            boolean captureNewTables) {
        this(
                kind,
                host,
                port,
                database,
                username,
                password == null ? null : new Secret(password),
                tables,
                slotName,
                publicationName,
                serverIdRange,
                serverTimeZone,
                heartbeatInterval,
                patterns,
                captureNewTables,
                null,
                LogRetention.UNLIMITED);
    }

    /** Only the given tables, as they were at start: no table created later is captured. */
    public CdcSourceConfig(
            SourceKind kind,
            String host,
            int port,
            String database,
            String username,
            String password,
            List<TableSchema> tables,
            String slotName,
            String publicationName,
            String serverIdRange,
            String serverTimeZone,
            Duration heartbeatInterval) {
        this(
                kind,
                host,
                port,
                database,
                username,
                password == null ? null : new Secret(password),
                tables,
                slotName,
                publicationName,
                serverIdRange,
                serverTimeZone,
                heartbeatInterval,
                new TablePatterns(tables.stream().map(t -> t.id().toString()).toList(), Map.of()),
                false,
                null,
                LogRetention.UNLIMITED);
    }

    /** The JDBC URL of the source database, for the checks made before the log source starts. */
    public String jdbcUrl() {
        return kind.urlPrefix() + host + ":" + port + "/" + database;
    }

    /**
     * A new connection to the source database, opened through the driver class itself:
     * DriverManager does not always see drivers of Flink's user-code class loader.
     */
    public Connection openConnection() throws SQLException {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password.value());
        }
        if (tls != null) {
            kind.dialect().addTlsProperties(properties, tls);
        }
        Connection connection = kind.dialect().connect(jdbcUrl(), properties);
        if (connection == null) {
            throw new SQLException("no driver accepts " + jdbcUrl());
        }
        return connection;
    }

    @Override
    public String toString() {
        return "CdcSourceConfig{" + kind + " " + host + ":" + port + "/" + database + ", user=" + username
                + ", password=" + (password == null ? "(none)" : "***")
                + ", tables=" + tables.stream().map(TableSchema::id).toList()
                + kind.describeLogSettings(this)
                + (captureNewTables ? ", capturing new tables of " + patterns : "")
                + (tls == null ? "" : ", " + tls)
                + (logRetention.limited() ? ", max log retention " + logRetention : "")
                + '}';
    }
}
