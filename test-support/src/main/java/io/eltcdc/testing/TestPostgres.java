package io.eltcdc.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL server tests run against, in this order of preference:
 * <ol>
 *   <li>{@code ELT_TEST_PG_URL} (a JDBC URL with user and password), when set;
 *   <li>a Testcontainers PostgreSQL (with {@code wal_level=logical}), when a Docker engine runs;
 *   <li>the local server that {@code scripts/test.sh} starts and configures:
 *       {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
 * </ol>
 * Each test class works in a database of its own ({@link #createDatabase}), so classes never see
 * each other's tables.
 */
public final class TestPostgres {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static String adminUrl;

    private TestPostgres() {}

    /** JDBC URL of the server's maintenance database, with credentials. */
    public static synchronized String adminUrl() {
        if (adminUrl == null) {
            String fromEnv = System.getenv("ELT_TEST_PG_URL");
            if (fromEnv != null && !fromEnv.isBlank()) {
                adminUrl = fromEnv;
            } else if (dockerAvailable()) {
                adminUrl = Containers.startPostgres();
            } else {
                adminUrl = LOCAL;
            }
        }
        return adminUrl;
    }

    /**
     * Creates (or re-creates, empty) database {@code name} and returns its JDBC URL. Replication
     * slots of an earlier run's database are dropped first (a database with slots cannot be dropped).
     */
    public static String createDatabase(String name) throws SQLException {
        String db = name.toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(adminUrl());
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots" + " WHERE database = '" + db
                    + "' AND active_pid IS NOT NULL");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" + " WHERE database = '"
                    + db + "' AND NOT active");
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        }
        return withDatabase(adminUrl(), db);
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** Host, port, user and password of the server, for pipeline configs. */
    public static JdbcUrl parts() {
        return JdbcUrl.parse(adminUrl());
    }

    static String withDatabase(String url, String db) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + db + (query < 0 ? "" : url.substring(query));
    }

    private static boolean dockerAvailable() {
        if (!Files.exists(Path.of("/var/run/docker.sock")) && System.getenv("DOCKER_HOST") == null) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    /** Testcontainers, only touched when a Docker engine is there. */
    private static final class Containers {
        static String startPostgres() {
            var pg = new PostgreSQLContainer<>("postgres:15")
                    .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20");
            pg.start();
            return pg.getJdbcUrl() + (pg.getJdbcUrl().contains("?") ? "&" : "?") + "user=" + pg.getUsername()
                    + "&password=" + pg.getPassword();
        }
    }
}
