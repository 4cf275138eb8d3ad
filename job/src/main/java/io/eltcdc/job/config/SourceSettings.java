package io.eltcdc.job.config;

import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.source.dialect.SourceKind;
import io.eltcdc.source.dialect.SourceKinds;
import io.eltcdc.source.log.LogRetention;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source} section: the PostgreSQL or MySQL database to read.
 *
 * @param type {@code postgres} or {@code mysql} (MySQL 5.7/8.x, MariaDB 10.x)
 * @param port default 5432 (postgres), 3306 (mysql)
 * @param database postgres: the database; mysql: the default database (tables name their own)
 * @param password null when not configured (trust or peer authentication)
 * @param tables {@code schema.table} names (split at the first dot) and {@code schema.*} patterns
 * @param chunkSize rows per snapshot chunk (default 50000)
 * @param primaryKeys key columns by {@code schema.table}, for tables without a usable primary key
 *     (default empty); in file order
 * @param serverId mysql: the replica server id (range) the binlog reader registers with, unique among
 *     the server's replicas, e.g. {@code 5400-5403}; null to derive one from the pipeline name
 * @param serverTimeZone mysql: the server's time zone, for TIMESTAMP values; null to ask the server
 * @param heartbeatInterval how often the change-log reader writes a heartbeat so the replication
 *     slot / binlog offset moves on while the captured tables are quiet (default 30 s)
 * @param captureNewTables {@code capture-new-tables}: whether tables created after the pipeline
 *     started that {@code tables} selects (e.g. by {@code shop.*}) are captured too (default false:
 *     only the tables found at start). PostgreSQL needs version 15+ and a superuser, as the
 *     publication then covers the patterns' schemas whole ({@code FOR TABLES IN SCHEMA})
 * @param allowResync {@code allow-resync}: whether the {@code resync} command can re-read one table
 *     while the pipeline streams (default false)
 * @param tls {@code tls}: TLS for every connection to the source (snapshot, catalog, slot, change
 *     log); null when the pipeline has no block (the drivers' defaults)
 * @param logRetention {@code max-log-retention} and {@code on-log-retention-limit}: how much WAL the
 *     pipeline's replication slot may hold before the pipeline stops (or drops the slot and stops);
 *     unlimited by default
 * @param logDuringSnapshot {@code log-during-snapshot}: whether the change log is read beside the
 *     initial snapshot (the source keeps only a few checkpoint intervals of log) or after it (the
 *     sequential mode: the source keeps every change made during the snapshot until it ends);
 *     default true
 */
public record SourceSettings(
        String type,
        String host,
        int port,
        String database,
        String username,
        Secret password,
        List<String> tables,
        int chunkSize,
        Map<String, List<String>> primaryKeys,
        String serverId,
        String serverTimeZone,
        Duration heartbeatInterval,
        boolean captureNewTables,
        boolean allowResync,
        TlsSettings tls,
        LogRetention logRetention,
        boolean logDuringSnapshot) {

    public static final String POSTGRES = "postgres";
    public static final String MYSQL = "mysql";

    public SourceSettings {
        logRetention = logRetention == null ? LogRetention.UNLIMITED : logRetention;
        tables = tables == null ? List.of() : List.copyOf(tables);
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (primaryKeys != null) {
            primaryKeys.forEach((table, columns) -> keys.put(table, List.copyOf(columns)));
        }
        primaryKeys = Collections.unmodifiableMap(keys);
    }

    /**
     * The defaults of the optional keys: only the tables found at start are captured, no re-sync, no
     * {@code tls} block, no log retention limit, the log read beside the snapshot.
     */
    public SourceSettings(
            String type,
            String host,
            int port,
            String database,
            String username,
            Secret password,
            List<String> tables,
            int chunkSize,
            Map<String, List<String>> primaryKeys,
            String serverId,
            String serverTimeZone,
            Duration heartbeatInterval) {
        this(
                type,
                host,
                port,
                database,
                username,
                password,
                tables,
                chunkSize,
                primaryKeys,
                serverId,
                serverTimeZone,
                heartbeatInterval,
                false,
                false,
                null,
                LogRetention.UNLIMITED,
                true);
    }

    /**
     * Whether the pipeline syncs single tables while it streams (new tables, re-syncs): it then runs
     * a table-sync source beside the change log.
     */
    public boolean allowsTableSyncs() {
        return captureNewTables || allowResync;
    }

    /** The JDBC URL of the source: {@code jdbc:postgresql://host:port/database} or {@code jdbc:mysql://host:port/database}. */
    public String jdbcUrl() {
        return MYSQL.equals(type)
                ? PostgresAddress.jdbcUrl(host, port, database).replaceFirst("^jdbc:postgresql:", "jdbc:mysql:")
                : PostgresAddress.jdbcUrl(host, port, database);
    }

    /** The source database, which answers everything that differs between them. */
    public SourceKind kind() {
        return SourceKinds.forJdbcUrl(jdbcUrl());
    }
}
