package io.eltcdc.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Host checks and JDBC URLs for the PostgreSQL source and destination. */
public final class PostgresAddress {
    public static final int DEFAULT_PORT = 5432;

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
    private static final Pattern HOST_AND_PORT = Pattern.compile("[^:]+:[0-9]+");

    private PostgresAddress() {}

    /** The host under {@code key}: a name or an IP address (IPv6 with or without brackets). */
    public static String requiredHost(ConfigNode node, String key) throws ConfigException {
        String host = node.requiredString(key).trim();
        String path = node.pathOf(key);
        String portKey = node.pathOf("port");
        if (host.contains("://") || host.contains("/")) {
            throw new ConfigException(
                    path,
                    "expected a host name or IP address, got " + Found.quote(host)
                            + "; write only the host (the port goes in " + portKey + ", the database in "
                            + node.pathOf("database") + ")");
        }
        if (host.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(
                    path, "expected a host name or IP address, got " + Found.quote(host) + ", which contains a space");
        }
        if (host.contains(":")) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (IPV6.matcher(bare).matches()
                    && bare.chars().filter(c -> c == ':').count() >= 2) {
                return bare;
            }
            if (HOST_AND_PORT.matcher(host).matches()) {
                throw new ConfigException(
                        path,
                        "expected a host name or IP address, got " + Found.quote(host) + "; put the port in "
                                + portKey);
            }
            throw new ConfigException(path, "expected a host name or IP address, got " + Found.quote(host));
        }
        return host;
    }

    /** {@code jdbc:postgresql://host:port/database} (IPv6 hosts in brackets, the database name URL-encoded). */
    public static String jdbcUrl(String host, int port, String database) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
    }
}
