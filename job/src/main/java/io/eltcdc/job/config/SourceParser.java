package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.source.log.LogRetention;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.MemorySize;

/** Reads the {@code source} section. */
final class SourceParser {
    static final List<String> TYPES = List.of(SourceSettings.POSTGRES, SourceSettings.MYSQL);
    static final List<String> KEYS = List.of(
            "type",
            "host",
            "port",
            "database",
            "username",
            "password",
            "tables",
            "chunk-size",
            "primary-keys",
            "server-id",
            "server-time-zone",
            "heartbeat-interval",
            "capture-new-tables",
            "allow-resync",
            "tls",
            "max-log-retention",
            "on-log-retention-limit",
            "log-during-snapshot");
    private static final int MYSQL_DEFAULT_PORT = 3306;
    private static final Pattern SERVER_ID = Pattern.compile("[0-9]+(-[0-9]+)?");

    private SourceParser() {}

    static SourceSettings parse(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String type = node.requiredChoice("type", TYPES);
        String host = PostgresAddress.requiredHost(node, "host");
        boolean mysql = SourceSettings.MYSQL.equals(type);
        int port = node.optionalInt("port", mysql ? MYSQL_DEFAULT_PORT : PostgresAddress.DEFAULT_PORT, 1, 65535);
        String database = node.requiredString("database");
        String username = node.requiredString("username");
        Secret password = node.optionalSecret("password");
        List<String> tables = node.requiredStringList("tables", "schema.table names or schema.* patterns");
        for (int i = 0; i < tables.size(); i++) {
            TableNames.checkPattern(node.pathOf("tables") + "[" + i + "]", tables.get(i));
        }
        int chunkSize = node.optionalInt("chunk-size", 50_000, 1, Integer.MAX_VALUE);
        Map<String, List<String>> primaryKeys =
                primaryKeys(node.optionalSection("primary-keys"), tables, node.pathOf("tables"));
        String serverId = node.optionalStringOrNumber("server-id");
        if (serverId != null && !mysql) {
            throw new ConfigException(node.pathOf("server-id"), "applies to source.type mysql only; remove it");
        }
        if (serverId != null && !SERVER_ID.matcher(serverId.trim()).matches()) {
            throw new ConfigException(
                    node.pathOf("server-id"),
                    "expected a number or a range like 5400-5403, got " + Found.quote(serverId));
        }
        String timeZone = node.optionalString("server-time-zone");
        if (timeZone != null) {
            try {
                ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new ConfigException(
                        node.pathOf("server-time-zone"),
                        "unknown time zone " + Found.quote(timeZone)
                                + "; use a region like Europe/Berlin or an offset like +02:00 or UTC");
            }
        }
        Duration heartbeat = node.optionalDuration("heartbeat-interval", Duration.ofSeconds(30));
        boolean captureNewTables = node.optionalBoolean("capture-new-tables", false);
        boolean allowResync = node.optionalBoolean("allow-resync", false);
        TlsSettings tls = TlsSettings.parse(node, "tls");
        LogRetention logRetention = logRetention(node, mysql);
        boolean logDuringSnapshot = node.optionalBoolean("log-during-snapshot", true);
        return new SourceSettings(
                type,
                host,
                port,
                database,
                username,
                password,
                tables,
                chunkSize,
                primaryKeys,
                serverId == null ? null : serverId.trim(),
                timeZone,
                heartbeat,
                captureNewTables,
                allowResync,
                tls,
                logRetention,
                logDuringSnapshot);
    }

    /** {@code max-log-retention} (a size; none by default) and {@code on-log-retention-limit} (stop, drop-slot). */
    private static LogRetention logRetention(ConfigNode node, boolean mysql) throws ConfigException {
        MemorySize max = node.optionalSize("max-log-retention", null);
        String onLimit = node.optionalChoice(
                "on-log-retention-limit", LogRetention.STOP, List.of(LogRetention.STOP, LogRetention.DROP_SLOT));
        if (max != null && mysql) {
            throw new ConfigException(
                    node.pathOf("max-log-retention"),
                    "applies to source.type postgres only (MySQL purges its binlog by binlog_expire_logs_seconds,"
                            + " whatever the pipeline has read); remove it");
        }
        if (max == null && node.has("on-log-retention-limit")) {
            throw new ConfigException(
                    node.pathOf("on-log-retention-limit"),
                    "applies only with source.max-log-retention; set that limit (e.g. 50gb) or remove this key");
        }
        return max == null
                ? LogRetention.UNLIMITED
                : new LogRetention(max.getBytes(), LogRetention.DROP_SLOT.equals(onLimit));
    }

    private static Map<String, List<String>> primaryKeys(ConfigNode section, List<String> tables, String tablesPath)
            throws ConfigException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (section == null) {
            return keys;
        }
        for (String table : section.keys()) {
            String path = section.pathOf(table);
            TableNames.checkTable(path, table);
            if (!TableNames.selected(table, tables)) {
                throw new ConfigException(
                        path,
                        "table " + table + " is not selected by " + tablesPath + " " + tables
                                + "; add it there or remove this entry");
            }
            List<String> columns = section.requiredStringList(table, "key column names");
            if (new HashSet<>(columns).size() != columns.size()) {
                throw new ConfigException(path, "expected distinct key column names, got " + columns);
            }
            keys.put(table, columns);
        }
        return keys;
    }
}
