package io.eltcdc.job.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code source} section: the PostgreSQL database to read.
 *
 * @param type {@code postgres}
 * @param port default 5432
 * @param password null when not configured (trust or peer authentication)
 * @param tables {@code schema.table} names (split at the first dot) and {@code schema.*} patterns
 * @param chunkSize rows per snapshot chunk (default 50000)
 * @param primaryKeys key columns by {@code schema.table}, for tables without a usable primary key
 *     (default empty); in file order
 */
public record SourceSettings(String type, String host, int port, String database, String username, Secret password,
        List<String> tables, int chunkSize, Map<String, List<String>> primaryKeys) {

    public SourceSettings {
        tables = tables == null ? List.of() : List.copyOf(tables);
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (primaryKeys != null) {
            primaryKeys.forEach((table, columns) -> keys.put(table, List.copyOf(columns)));
        }
        primaryKeys = Collections.unmodifiableMap(keys);
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl() {
        return PostgresAddress.jdbcUrl(host, port, database);
    }
}
