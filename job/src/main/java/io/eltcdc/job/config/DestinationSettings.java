package io.eltcdc.job.config;

import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;

/**
 * The {@code destination} section. Fields that do not apply to the type are null (port 0).
 *
 * @param type {@code duckdb}, {@code postgres} or {@code s3}
 * @param path duckdb: the database file; s3: the folder URI ({@code s3://bucket/prefix}, {@code s3a://…}
 *     or {@code file:///dir})
 * @param port postgres: default 5432
 * @param password postgres: null when not configured
 * @param schema the target schema; null for the destination's default
 * @param deleteMode {@code hard} (a DELETE removes the row, the default) or {@code soft} (the row
 *     stays, with {@code _elt_deleted = true})
 * @param format s3: the data files' format, {@code avro} (the only one so far); null for other types
 * @param loadInterval {@code destination.load-interval}: committed files are loaded together at most
 *     this often; null for the type's default ({@link #effectiveLoadInterval()})
 * @param warehouse snowflake, bigquery, redshift: their own keys; null for other types
 */
public record DestinationSettings(
        String type,
        String path,
        String host,
        int port,
        String database,
        String username,
        Secret password,
        String schema,
        String deleteMode,
        String format,
        java.time.Duration loadInterval,
        WarehouseSettings warehouse) {
    public static final String HARD_DELETES = "hard";
    public static final String SOFT_DELETES = "soft";
    /** The values of {@code destination.delete-mode}. */
    public static final java.util.List<String> DELETE_MODES = java.util.List.of(HARD_DELETES, SOFT_DELETES);

    public DestinationSettings {
        deleteMode = deleteMode == null ? HARD_DELETES : deleteMode;
        if (!DELETE_MODES.contains(deleteMode)) {
            throw new IllegalArgumentException(
                    "delete mode must be one of " + DELETE_MODES + ", not '" + deleteMode + "'");
        }
    }

    /** Settings of the types that load every checkpoint by default and have no warehouse keys. */
    public DestinationSettings(
            String type,
            String path,
            String host,
            int port,
            String database,
            String username,
            Secret password,
            String schema,
            String deleteMode,
            String format) {
        this(type, path, host, port, database, username, password, schema, deleteMode, format, null, null);
    }

    /** A cloud warehouse: its type-specific settings beside the shared keys. */
    public static DestinationSettings warehouse(
            String type,
            WarehouseSettings warehouse,
            String schema,
            String deleteMode,
            java.time.Duration loadInterval) {
        return new DestinationSettings(
                type, null, null, 0, null, null, null, schema, deleteMode, null, loadInterval, warehouse);
    }

    /** This settings object with {@code destination.load-interval} set. */
    public DestinationSettings withLoadInterval(java.time.Duration interval) {
        return new DestinationSettings(
                type, path, host, port, database, username, password, schema, deleteMode, format, interval, warehouse);
    }

    /**
     * How often committed files are loaded: the configured interval, else 60 s for Snowflake and
     * Redshift, 5 min for BigQuery (their types say), and zero (every checkpoint) for the others.
     */
    public java.time.Duration effectiveLoadInterval() {
        if (loadInterval != null) {
            return loadInterval;
        }
        return warehouse != null ? warehouse.defaultLoadInterval() : java.time.Duration.ZERO;
    }

    /** Settings without a file format (every type but s3). */
    public DestinationSettings(
            String type,
            String path,
            String host,
            int port,
            String database,
            String username,
            Secret password,
            String schema,
            String deleteMode) {
        this(type, path, host, port, database, username, password, schema, deleteMode, null);
    }

    /** An s3 destination: files under {@code path} in {@code format}. */
    public static DestinationSettings s3(String path, String format) {
        return new DestinationSettings("s3", path, null, 0, null, null, null, null, HARD_DELETES, format);
    }

    /** Settings with hard deletes (the default). */
    public DestinationSettings(
            String type,
            String path,
            String host,
            int port,
            String database,
            String username,
            Secret password,
            String schema) {
        this(type, path, host, port, database, username, password, schema, HARD_DELETES);
    }

    /** postgres: {@code jdbc:postgresql://host:port/database}; duckdb: {@code jdbc:duckdb:path}. */
    public String jdbcUrl() {
        switch (type) {
            case "postgres":
                return PostgresAddress.jdbcUrl(host, port, database);
            case "duckdb":
                return "jdbc:duckdb:" + path;
            default:
                throw new IllegalStateException("no JDBC URL for destination type '" + type + "'");
        }
    }
}
