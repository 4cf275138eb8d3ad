package io.eltcdc.job.config;

/**
 * The {@code destination} section. Fields that do not apply to the type are null (port 0).
 *
 * @param type {@code duckdb} or {@code postgres}
 * @param path duckdb: the database file
 * @param port postgres: default 5432
 * @param password postgres: null when not configured
 * @param schema the target schema; null for the destination's default
 * @param deleteMode {@code hard} (a DELETE removes the row, the default) or {@code soft} (the row
 *     stays, with {@code _elt_deleted = true})
 */
public record DestinationSettings(String type, String path, String host, int port, String database, String username,
        Secret password, String schema, String deleteMode) {
    public static final String HARD_DELETES = "hard";
    public static final String SOFT_DELETES = "soft";
    /** The values of {@code destination.delete-mode}. */
    public static final java.util.List<String> DELETE_MODES = java.util.List.of(HARD_DELETES, SOFT_DELETES);

    public DestinationSettings {
        deleteMode = deleteMode == null ? HARD_DELETES : deleteMode;
        if (!DELETE_MODES.contains(deleteMode)) {
            throw new IllegalArgumentException("delete mode must be one of " + DELETE_MODES + ", not '" + deleteMode + "'");
        }
    }

    /** Settings with hard deletes (the default). */
    public DestinationSettings(String type, String path, String host, int port, String database, String username,
            Secret password, String schema) {
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
