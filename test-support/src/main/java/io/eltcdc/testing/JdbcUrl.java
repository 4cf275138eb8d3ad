package io.eltcdc.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The parts of a {@code jdbc:postgresql://host:port/db?user=…&password=…} URL. */
public record JdbcUrl(String host, int port, String database, String user, String password) {
    public static JdbcUrl parse(String jdbcUrl) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> params = new HashMap<>();
        if (uri.getQuery() != null) {
            for (String kv : uri.getQuery().split("&")) {
                int eq = kv.indexOf('=');
                params.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new JdbcUrl(
                uri.getHost(),
                uri.getPort() < 0 ? 5432 : uri.getPort(),
                uri.getPath().substring(1),
                params.getOrDefault("user", "postgres"),
                params.getOrDefault("password", ""));
    }
}
