package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.ConfigNode;
import io.eltcdc.config.Found;
import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.StorageUris;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code destination} section; which keys apply depends on its type. */
final class DestinationParser {
    static final List<String> TYPES = List.of("duckdb", "postgres", "s3", "snowflake", "bigquery", "redshift");
    static final List<String> KEYS = List.of(
            "type",
            "path",
            "host",
            "port",
            "database",
            "username",
            "password",
            "schema",
            "delete-mode",
            "format",
            "load-interval");
    /** Keys of every cloud warehouse, read here; each warehouse's parser reads the rest. */
    static final List<String> SHARED_KEYS = List.of("type", "schema", "delete-mode", "load-interval");
    /** {@code load-interval} value that loads at every checkpoint. */
    static final String EVERY_CHECKPOINT = "every-checkpoint";

    private static final Map<String, List<String>> KEYS_BY_TYPE = Map.of(
            "duckdb", List.of("type", "path", "schema", "delete-mode", "load-interval"),
            "postgres",
                    List.of(
                            "type",
                            "host",
                            "port",
                            "database",
                            "username",
                            "password",
                            "schema",
                            "delete-mode",
                            "load-interval"),
            "s3", List.of("type", "path", "format", "load-interval"));
    private static final Map<String, WarehouseParser> WAREHOUSES = Map.of(
            "snowflake", SnowflakeSettings::parse,
            "bigquery", BigQuerySettings::parse,
            "redshift", RedshiftSettings::parse);

    /** Reads a warehouse's own keys; it must reject keys that are neither its own nor shared. */
    @FunctionalInterface
    private interface WarehouseParser {
        WarehouseSettings parse(ConfigNode node) throws ConfigException;
    }
    /** The values of {@code destination.format} (s3). */
    static final List<String> FORMATS = List.of("avro", "parquet");

    private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    private DestinationParser() {}

    static DestinationSettings parse(ConfigNode node) throws ConfigException {
        WarehouseParser warehouse = node.has("type") ? WAREHOUSES.get(node.optionalString("type")) : null;
        if (warehouse != null) {
            WarehouseSettings settings = warehouse.parse(node);
            return DestinationSettings.warehouse(
                    node.requiredString("type"),
                    settings,
                    node.optionalString("schema"),
                    deleteMode(node),
                    loadInterval(node));
        }
        return parseLoadingEveryCheckpoint(node).withLoadInterval(loadInterval(node));
    }

    /**
     * {@code load-interval}: a duration, or {@value #EVERY_CHECKPOINT}; null when absent (the type's
     * default then applies).
     */
    private static java.time.Duration loadInterval(ConfigNode node) throws ConfigException {
        if (node.has("load-interval") && EVERY_CHECKPOINT.equals(node.optionalStringOrNumber("load-interval"))) {
            return java.time.Duration.ZERO;
        }
        return node.optionalDuration("load-interval", null);
    }

    private static String deleteMode(ConfigNode node) throws ConfigException {
        return node.optionalChoice("delete-mode", DestinationSettings.HARD_DELETES, DestinationSettings.DELETE_MODES);
    }

    private static DestinationSettings parseLoadingEveryCheckpoint(ConfigNode node) throws ConfigException {
        node.checkNoUnknownKeys(KEYS);
        String type = node.requiredChoice("type", TYPES);
        List<String> applicable = KEYS_BY_TYPE.get(type);
        for (String key : node.keys()) {
            if (!applicable.contains(key)) {
                throw new ConfigException(
                        node.path(),
                        "key \"" + key + "\" does not apply to " + article(type) + " " + type
                                + " destination (its keys: " + String.join(", ", applicable) + ")");
            }
        }
        if ("s3".equals(type)) {
            return s3(node);
        }
        String schema = node.optionalString("schema");
        String deleteMode = deleteMode(node);
        if ("duckdb".equals(type)) {
            String path = required(node, "path", type, "the path of the database file")
                    .trim();
            if (URI.matcher(path).matches()) {
                throw node.error(
                        "path", "expected a local file path for the duckdb database, got " + Found.quote(path));
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

    /**
     * An s3 destination: a folder URI ({@code s3://bucket/prefix}, {@code file:///dir} or an absolute
     * path) and the file format. Its s3:// paths use the pipeline's S3 settings ({@code staging.s3},
     * or the cluster's {@code s3.*} keys): one S3 client configuration per job.
     */
    private static DestinationSettings s3(ConfigNode node) throws ConfigException {
        String path = StorageUris.normalize(
                node.pathOf("path"),
                required(node, "path", "s3", "the folder to write to, s3://bucket/prefix or file:///dir"));
        String format = node.optionalChoice("format", "avro", FORMATS);
        if ("parquet".equals(format)) {
            throw node.error(
                    "format",
                    "parquet is not supported yet: writing Parquet needs Hadoop's client"
                            + " libraries on the job's class path, which the job jar does not carry; use avro (the default)");
        }
        return DestinationSettings.s3(path, format);
    }

    private static String article(String type) {
        return type.equals("s3") ? "an" : "a"; // "an s3", "a duckdb", "a postgres"
    }

    private static String required(ConfigNode node, String key, String type, String what) throws ConfigException {
        if (!node.keys().contains(key)) {
            throw node.error(
                    key, "required key is missing (" + article(type) + " " + type + " destination needs " + what + ")");
        }
        return node.requiredString(key);
    }
}
