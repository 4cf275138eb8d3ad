package io.eltcdc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The PostgreSQL cluster the fault tests stop, start and restart while a pipeline runs: a second
 * local cluster ({@code scripts/test.sh} makes it: {@code elt_ensure_fault_postgres}, port 5433,
 * {@code wal_level=logical}), so the server every other test uses is never disturbed.
 *
 * <ul>
 *   <li>It is controlled with Debian's {@code pg_ctlcluster}, as the machine's services are.
 *   <li>{@link #skipReason()} says why it cannot be used where the tests run against servers of
 *       their own ({@code ELT_TEST_PG_URL}, Testcontainers): there is no cluster to stop then.
 * </ul>
 */
public final class FaultPostgres {
    public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("ELT_PG_FAULT_PORT", "5433"));
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:" + PORT + "/postgres?user=postgres";

    private FaultPostgres() {}

    /** Why the fault cluster is not to be used here, or null when it is. */
    public static String skipReason() {
        String external = System.getenv("ELT_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            return "ELT_TEST_PG_URL names the test server; the fault tests need the local cluster scripts/test.sh makes";
        }
        return null;
    }

    /** Creates (or re-creates, empty) database {@code name} on the fault cluster; its JDBC URL. */
    public static String createDatabase(String name) throws SQLException {
        String db = name.toLowerCase(Locale.ROOT);
        try (Connection c = connectAdmin();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = '" + db
                    + "' AND active_pid IS NOT NULL");
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db
                    + "' AND NOT active");
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        }
        return TestPostgres.withDatabase(ADMIN_URL, db);
    }

    /** Stops the cluster at once ({@code -m fast}: sessions are ended, as in a failover). */
    public static void stop() throws IOException, InterruptedException {
        control("stop", "-m", "fast");
    }

    /** Starts the cluster and waits until it accepts connections. */
    public static void start() throws IOException, InterruptedException {
        control("start");
        awaitAccepting();
    }

    /** Restarts the cluster ({@code -m fast}) and waits until it accepts connections again. */
    public static void restart() throws IOException, InterruptedException {
        control("restart", "-m", "fast");
        awaitAccepting();
    }

    private static Connection connectAdmin() throws SQLException {
        try {
            return DriverManager.getConnection(ADMIN_URL);
        } catch (SQLException e) {
            throw new SQLException(
                    "The fault tests' PostgreSQL cluster does not answer on 127.0.0.1:" + PORT + " ("
                            + e.getMessage() + "); scripts/test.sh creates and starts it"
                            + " (scripts/lib/services.sh: elt_ensure_fault_postgres)",
                    e.getSQLState(),
                    e);
        }
    }

    private static void awaitAccepting() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
                return;
            } catch (SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the fault tests' cluster did not come back: " + e.getMessage());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    /** {@code pg_ctlcluster VERSION NAME ACTION}, for the cluster on {@link #PORT}. */
    private static void control(String... action) throws IOException, InterruptedException {
        String[] cluster = cluster();
        List<String> command = new java.util.ArrayList<>(
                List.of("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1]));
        command.addAll(List.of(action));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static String[] cluster() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pg_lsclusters", "--no-header")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[2].equals(String.valueOf(PORT))) {
                return new String[] {f[0], f[1]};
            }
        }
        throw new IOException("no pg_ctlcluster cluster on port " + PORT + " (pg_lsclusters: " + out.strip()
                + "); scripts/test.sh creates it");
    }
}
