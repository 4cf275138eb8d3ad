package io.eltcdc.job.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code source} section. */
final class SourceParser {
    static final List<String> TYPES = List.of("postgres");
    static final List<String> KEYS = List.of("type", "host", "port", "database", "username", "password", "tables",
            "chunk-size", "primary-keys");

    private SourceParser() {}

    static SourceSettings parse(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String type = node.requiredChoice("type", TYPES);
        String host = PostgresAddress.requiredHost(node, "host");
        int port = node.optionalInt("port", PostgresAddress.DEFAULT_PORT, 1, 65535);
        String database = node.requiredString("database");
        String username = node.requiredString("username");
        Secret password = node.optionalSecret("password");
        List<String> tables = node.requiredStringList("tables", "schema.table names or schema.* patterns");
        for (int i = 0; i < tables.size(); i++) {
            TableNames.checkPattern(node.pathOf("tables") + "[" + i + "]", tables.get(i));
        }
        int chunkSize = node.optionalInt("chunk-size", 50_000, 1, Integer.MAX_VALUE);
        Map<String, List<String>> primaryKeys = primaryKeys(node.optionalSection("primary-keys"), tables,
                node.pathOf("tables"));
        return new SourceSettings(type, host, port, database, username, password, tables, chunkSize, primaryKeys);
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
                throw new ConfigException(path, "table " + table + " is not selected by " + tablesPath + " " + tables
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
