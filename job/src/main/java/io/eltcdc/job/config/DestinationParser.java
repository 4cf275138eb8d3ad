package io.eltcdc.job.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code destination} section; which keys apply depends on its type. */
final class DestinationParser {
    static final List<String> TYPES = List.of("duckdb", "postgres");
    static final List<String> KEYS = List.of("type", "path", "host", "port", "database", "username", "password",
            "schema", "delete-mode");
    private static final Map<String, List<String>> KEYS_BY_TYPE = Map.of(
            "duckdb", List.of("type", "path", "schema", "delete-mode"),
            "postgres", List.of("type", "host", "port", "database", "username", "password", "schema", "delete-mode"));
    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    private DestinationParser() {}

    static DestinationSettings parse(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String type = node.requiredChoice("type", TYPES);
        List<String> applicable = KEYS_BY_TYPE.get(type);
        for (String key : node.keys()) {
            if (!applicable.contains(key)) {
                throw new ConfigException(node.path(), "key \"" + key + "\" does not apply to a " + type
                        + " destination (its keys: " + String.join(", ", applicable) + ")");
            }
        }
        String schema = node.optionalString("schema");
        String deleteMode = node.optionalChoice("delete-mode", DestinationSettings.HARD_DELETES,
                DestinationSettings.DELETE_MODES);
        if ("duckdb".equals(type)) {
            String path = required(node, "path", type, "the path of the database file").trim();
            if (URI.matcher(path).matches()) {
                throw node.error("path", "expected a local file path for the duckdb database, got "
                        + Found.quote(path));
            }
            return new DestinationSettings(type, path, null, 0, null, null, null, schema, deleteMode);
        }
        required(node, "host", type, "the server's host name");
        String host = PostgresAddress.requiredHost(node, "host");
        int port = node.optionalInt("port", PostgresAddress.DEFAULT_PORT, 1, 65535);
        String database = required(node, "database", type, "the database name");
        String username = required(node, "username", type, "the user name");
        Secret password = node.optionalSecret("password");
        return new DestinationSettings(type, null, host, port, database, username, password, schema, deleteMode);
    }

    private static String required(ConfigNode node, String key, String type, String what) throws ConfigException {
        if (!node.keys().contains(key)) {
            throw node.error(key, "required key is missing (a " + type + " destination needs " + what + ")");
        }
        return node.requiredString(key);
    }
}
