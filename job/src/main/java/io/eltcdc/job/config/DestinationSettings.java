package io.eltcdc.job.config;

/**
 * The {@code destination} section. Fields that do not apply to the type are null (port 0).
 *
 * @param type {@code duckdb} or {@code postgres}
 * @param path duckdb: the database file
 * @param port postgres: default 5432
 * @param password postgres: null when not configured
 * @param schema the target schema; null for the destination's default
 */
public record DestinationSettings(String type, String path, String host, int port, String database, String username,
        Secret password, String schema) {

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
