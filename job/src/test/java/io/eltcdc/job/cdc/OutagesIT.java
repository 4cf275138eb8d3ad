package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eltcdc.job.JarRun;
import io.eltcdc.job.SnapshotGate;
import io.eltcdc.testing.FaultPostgres;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A continuous pipeline (the packaged jar, as a user runs it) rides out what routinely goes away
 * for a while: the destination server, the source server, the S3 endpoint staging writes to. It
 * never exits, and once the workload stops the destination equals the source row by row, with no
 * duplicate key.
 *
 * <p>The servers that are stopped and restarted are the fault tests' own PostgreSQL cluster
 * ({@link FaultPostgres}) and an S3Proxy of the test's: the other tests' servers are not disturbed.
 */
class OutagesIT {
    private static final int ORDERS = 20_000;
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Pattern WAITING = Pattern.compile("destination unavailable for (\\d+) s");
    /** The orders rows a change wrote last, in the destination. */
    private static final String CHANGES = "copy.orders WHERE _elt_op <> 'READ'";

    @TempDir
    Path tmp;

    @BeforeAll
    static void faultClusterAvailable() {
        String skip = FaultPostgres.skipReason();
        assumeTrue(skip == null, skip);
    }

    @Test
    void destinationServerStoppedWhileChangesStream() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("outage_dst_source");
        String destUrl = FaultPostgres.createDatabase("outage_dst_dest");
        createTables(sourceUrl);
        Path pipeline =
                writePipeline("outage-dst", sourceUrl, JdbcUrl.parse(sourceUrl).user(), destUrl, null);
        Path log = tmp.resolve("run.log");
        try (Workload workload = new Workload(sourceUrl)) {
            Process run = JarRun.start(pipeline, log);
            try {
                awaitStreaming(run, destUrl, 50);
                FaultPostgres.stop();
                try {
                    // Down for at least half a minute: longer than every restart budget a local run had.
                    Await.until(
                            "the loads to wait 30 s for the destination",
                            DEADLINE,
                            () -> alive(run) && longestWait(log) >= 30);
                } finally {
                    FaultPostgres.start();
                }
                Await.until(
                        "the loads to find the destination again",
                        DEADLINE,
                        () -> alive(run) && log(log).contains("the destination is available again"));
                workload.stop();
                awaitConverged(run, sourceUrl, destUrl, log);
            } finally {
                stop(run);
            }
        } finally {
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "outage-dst");
        }
    }

    @Test
    void sourceServerRestartedDuringTheSnapshotAndWhileStreaming() throws Exception {
        String sourceUrl = FaultPostgres.createDatabase("outage_src_source");
        String destUrl = TestPostgres.createDatabase("outage_src_dest");
        String owner = "elt_outage_owner";
        createTables(sourceUrl);
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            SnapshotGate.ownerRole(s, owner, "public.orders", "public.lines");
            s.execute("GRANT CREATE ON DATABASE outage_src_source TO " + owner); // for the publication
            SnapshotGate.install(s, "public.orders", ORDERS / 2, owner);
        }
        Path pipeline = writePipeline("outage-src", sourceUrl, owner, destUrl, null);
        Path log = tmp.resolve("run.log");
        Process run;
        try (Connection gate = DriverManager.getConnection(sourceUrl)) {
            // The restart must land while the readers read, whatever the machine's speed: they wait
            // at the gate, half-way through the orders; the restart ends the gate's session too.
            SnapshotGate.close(gate);
            run = JarRun.start(pipeline, log);
            Await.until(
                    "both snapshot readers waiting at the gate",
                    DEADLINE,
                    () -> alive(run) && SnapshotGate.readersWaiting(gate) == 2);
        }
        try {
            FaultPostgres.restart();
            try (Workload workload = new Workload(sourceUrl)) {
                awaitStreaming(run, destUrl, 50);
                FaultPostgres.restart();
                awaitMoreChanges(run, destUrl, "changes applied after the second restart");
                workload.stop();
                awaitConverged(run, sourceUrl, destUrl, log);
            }
        } finally {
            stop(run);
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "outage-src");
        }
    }

    @Test
    void s3EndpointStoppedWhileStagingToIt() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("outage_s3_source");
        String destUrl = TestPostgres.createDatabase("outage_s3_dest");
        createTables(sourceUrl);
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")))) {
            s3.createBucket("staging");
            Path pipeline = writePipeline(
                    "outage-s3", sourceUrl, JdbcUrl.parse(sourceUrl).user(), destUrl, s3);
            Path log = tmp.resolve("run.log");
            try (Workload workload = new Workload(sourceUrl)) {
                Process run = JarRun.start(pipeline, log);
                try {
                    awaitStreaming(run, destUrl, 50);
                    s3.stop();
                    try {
                        // The outage itself: the endpoint stays away for 20 s, and the run must live through it.
                        long away = System.nanoTime();
                        Await.until(
                                "20 s without the S3 endpoint",
                                DEADLINE,
                                () -> alive(run) && System.nanoTime() - away > TimeUnit.SECONDS.toNanos(20));
                    } finally {
                        s3.startAgain();
                    }
                    awaitMoreChanges(run, destUrl, "changes applied after the endpoint came back");
                    workload.stop();
                    awaitConverged(run, sourceUrl, destUrl, log);
                } finally {
                    stop(run);
                }
            }
        } finally {
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "outage-s3");
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Inserts, updates and deletes in small transactions, riding out a source restart itself. */
    private static final class Workload implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        private final Future<?> done;

        Workload(String url) {
            done = executor.submit(() -> {
                PostgresWorkload w = new PostgresWorkload(url, 11);
                while (!stop.get()) {
                    try {
                        w.run(10);
                    } catch (SQLException restarting) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the server is restarting
                    }
                }
                return null;
            });
        }

        void stop() throws Exception {
            stop.set(true);
            done.get(1, TimeUnit.MINUTES);
        }

        @Override
        public void close() {
            stop.set(true);
            executor.shutdownNow();
        }
    }

    private static void createTables(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            PostgresWorkload.createTables(c, ORDERS);
            s.execute("ANALYZE");
        }
    }

    /** The snapshot is loaded and more than {@code changes} changes are applied. */
    private static void awaitStreaming(Process run, String destUrl, long changes) throws Exception {
        Await.until(
                "the snapshot loaded and changes applied",
                DEADLINE,
                () -> alive(run) && count(destUrl, CHANGES) > changes);
    }

    /** More than 50 changes are applied from now on. */
    private static void awaitMoreChanges(Process run, String destUrl, String what) throws Exception {
        long applied = count(destUrl, CHANGES);
        Await.until(what, DEADLINE, () -> alive(run) && count(destUrl, CHANGES) > applied + 50);
    }

    private static void awaitConverged(Process run, String sourceUrl, String destUrl, Path log) throws Exception {
        try {
            ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the end of the run's log:\n" + tail(log, 60), e);
        }
        assertThat(alive(run)).isTrue();
        assertThat(count(destUrl, "copy.orders")).isEqualTo(count(destUrl, "(SELECT DISTINCT id FROM copy.orders) d"));
    }

    /** The longest wait for the destination the log reports so far, in seconds. */
    private static long longestWait(Path log) throws Exception {
        long longest = 0;
        Matcher m = WAITING.matcher(log(log));
        while (m.find()) {
            longest = Math.max(longest, Long.parseLong(m.group(1)));
        }
        return longest;
    }

    private static String log(Path log) throws Exception {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String tail(Path log, int lines) throws Exception {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean alive(Process p) {
        if (!p.isAlive()) {
            throw new AssertionError("the pipeline exited (exit code " + p.exitValue() + ")");
        }
        return true;
    }

    private static void stop(Process run) throws Exception {
        run.destroy(); // SIGTERM: the runner cancels the job
        if (!run.waitFor(60, TimeUnit.SECONDS)) {
            run.destroyForcibly();
        }
    }

    /** Rows of {@code relation} in the destination; 0 while the target table is not there. */
    private static long count(String url, String relation) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('copy.orders') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + relation)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Path writePipeline(String name, String sourceUrl, String sourceUser, String destUrl, S3ProxyServer s3)
            throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String staging = s3 == null
                ? String.format(
                        "{ path: \"file://%s\", roll-size: 4mb, inactivity-interval: 1s }", tmp.resolve("staging"))
                : String.format(
                        "{ path: \"s3://staging/%s\", roll-size: 4mb, inactivity-interval: 1s, s3: { endpoint: \"%s\","
                                + " access-key: %s, secret-key: %s, path-style-access: true } }",
                        name, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
        String yaml = String.format(
                """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s, state-dir: "file://%s" }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.orders, public.lines], chunk-size: 2000, heartbeat-interval: 1s }
                staging: %s
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                name,
                tmp.resolve("state"),
                s.host(),
                s.port(),
                s.database(),
                sourceUser,
                s.password(),
                staging,
                d.host(),
                d.port(),
                d.database(),
                d.user(),
                d.password());
        Path file = tmp.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
