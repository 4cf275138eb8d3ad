package io.eltcdc.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The MySQL or MariaDB server tests run against, in this order of preference:
 * <ol>
 *   <li>{@code ELT_TEST_MYSQL_URL} (a JDBC URL with user and password, e.g.
 *       {@code jdbc:mysql://db:3306/?user=root&password=secret}), when set;
 *   <li>the local server that {@code scripts/test.sh} starts (MariaDB, binlog on):
 *       {@code jdbc:mysql://127.0.0.1:3306/?user=root&password=}.
 * </ol>
 * There is no Testcontainers branch: Testcontainers' MySQL module is not a dependency of this
 * module (the PostgreSQL one is), and no Docker engine runs where these tests run; set
 * {@code ELT_TEST_MYSQL_URL} to use any other server.
 *
 * <p>Each test class works in a database of its own ({@link #createDatabase}), so classes never see
 * each other's tables. Connections go through {@link DriverManager}: MySQL Connector/J is on the
 * test class path of the modules that use this class (this module does not depend on it).
 */
public final class TestMySql {
    private static final String LOCAL = "jdbc:mysql://127.0.0.1:3306/?user=root&password=";
    private static String adminUrl;

    private TestMySql() {}

    /** JDBC URL of the server, without a database, with credentials. */
    public static synchronized String adminUrl() {
        if (adminUrl == null) {
            String fromEnv = System.getenv("ELT_TEST_MYSQL_URL");
            adminUrl = fromEnv != null && !fromEnv.isBlank() ? fromEnv : LOCAL;
        }
        return adminUrl;
    }

    /**
     * Drops database {@code name} if it exists, creates it empty (utf8mb4) and returns its JDBC URL.
     * The name is lower-cased, so it is the same on servers with case-insensitive table names.
     */
    public static String createDatabase(String name) throws SQLException {
        String db = name.toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS `" + db + "`");
            s.execute("CREATE DATABASE `" + db + "` CHARACTER SET utf8mb4");
        }
        return withDatabase(adminUrl(), db);
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Host, port (3306 by default), database, user (root by default) and password of {@code url}. */
    public static JdbcUrl parts(String url) {
        URI uri = URI.create(url.substring("jdbc:".length()));
        Map<String, String> params = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String kv : uri.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                params.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        String path = uri.getPath() == null || uri.getPath().length() <= 1
                ? ""
                : uri.getPath().substring(1);
        return new JdbcUrl(
                uri.getHost(),
                uri.getPort() < 0 ? 3306 : uri.getPort(),
                path,
                params.getOrDefault("user", "root"),
                params.getOrDefault("password", ""));
    }

    /** Host, port, user and password of the server, for pipeline configs. */
    public static JdbcUrl parts() {
        return parts(adminUrl());
    }

    /** {@code url} with its database (the path) replaced by {@code db}. */
    public static String withDatabase(String url, String db) {
        int slash = url.indexOf('/', "jdbc:mysql://".length());
        if (slash < 0) {
            int query = url.indexOf('?');
            return query < 0 ? url + "/" + db : url.substring(0, query) + "/" + db + url.substring(query);
        }
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + db + (query < 0 ? "" : url.substring(query));
    }
}
