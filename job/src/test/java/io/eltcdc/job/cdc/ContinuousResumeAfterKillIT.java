package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.JarRun;
import io.eltcdc.testing.JdbcUrl;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar runs a continuous pipeline while a workload changes the source; it is killed
 * with SIGKILL once in the middle of the initial sync and once while streaming, and run again each
 * time. Once the workload stops, the destination must equal the source with no duplicate key. In
 * both modes: with the change log read beside the snapshot, the first kill lands while both
 * readers run, and the restore resumes both from the checkpoint.
 */
class ContinuousResumeAfterKillIT {
    private static final int ORDERS = 200_000;
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "log-during-snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void killedDuringSnapshotAndDuringStreamingConverges(boolean logDuringSnapshot) throws Exception {
        String sourceUrl = TestPostgres.createDatabase("cdc_kill_source");
        String destUrl = TestPostgres.createDatabase("cdc_kill_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            PostgresWorkload.createTables(c, ORDERS);
            s.execute("ANALYZE");
        }
        Path pipeline = writePipeline(sourceUrl, destUrl, logDuringSnapshot);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        Future<?> workload = executor.submit(() -> {
            PostgresWorkload w = new PostgresWorkload(sourceUrl, 7);
            while (!stop.get()) {
                w.run(20);
            }
            return null;
        });
        try (Connection dest = DriverManager.getConnection(destUrl)) {
            // Run 1: killed in the middle of the snapshot.
            Process first = start(pipeline, tmp.resolve("run1.log"));
            Await.until("rows loaded by run 1", DEADLINE, () -> alive(first) && count(dest, "copy.orders") > 0);
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(count(dest, "copy.orders"))
                    .as("run 1 must be killed mid-snapshot; see run1.log")
                    .isBetween(1L, ORDERS - 1L);

            // Run 2: resumes, finishes the snapshot, streams; killed once changes are applied.
            Process second = start(pipeline, tmp.resolve("run2.log"));
            Await.until(
                    "changes applied by run 2",
                    DEADLINE,
                    () -> alive(second) && count(dest, "copy.orders WHERE _elt_op <> 'READ'") > 100);
            second.destroyForcibly();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // Run 3: resumes streaming; the workload stops and the destination catches up.
            Process third = start(pipeline, tmp.resolve("run3.log"));
            try {
                stop.set(true);
                workload.get(1, TimeUnit.MINUTES);
                try {
                    ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
                } catch (AssertionError e) {
                    throw new AssertionError(
                            e.getMessage() + "; run 3 is " + (third.isAlive() ? "running" : "ended")
                                    + ", the end of its log:\n" + tail(tmp.resolve("run3.log"), 60),
                            e);
                }
                assertThat(alive(third)).isTrue();
                assertThat(Files.readAllLines(tmp.resolve("run3.log")))
                        .anyMatch(l -> l.startsWith("Resuming pipeline"));
            } finally {
                third.destroy(); // SIGTERM: the runner cancels the job, keeping its checkpoints
                third.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(count(dest, "copy.orders")).isEqualTo(distinct(dest, "copy.orders", "id"));
        } finally {
            stop.set(true);
            executor.shutdownNow();
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, "cdc-kill-test");
        }
    }

    /** The last {@code lines} lines of a run's log, for a failure's message. */
    private static String tail(Path log, int lines) throws Exception {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static boolean alive(Process p) {
        if (!p.isAlive()) {
            throw new AssertionError("the pipeline ended early with exit code " + p.exitValue());
        }
        return true;
    }

    private Path writePipeline(String sourceUrl, String destUrl, boolean logDuringSnapshot) throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String yaml = String.format(
                """
                pipeline: { name: cdc-kill-test, parallelism: 2, checkpoint-interval: 1s, state-dir: "file://%s" }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.orders, public.lines], chunk-size: 5000, heartbeat-interval: 1s,
                          log-during-snapshot: %s }
                staging: { path: "file://%s", roll-size: 4mb, inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                tmp.resolve("state"),
                s.host(),
                s.port(),
                s.database(),
                s.user(),
                s.password(),
                logDuringSnapshot,
                tmp.resolve("staging"),
                d.host(),
                d.port(),
                d.database(),
                d.user(),
                d.password());
        Path file = tmp.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static Process start(Path pipeline, Path log) throws Exception {
        return JarRun.start(pipeline, log);
    }

    private static long count(Connection c, String relation) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('copy.orders') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + relation)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long distinct(Connection c, String table, String column) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(DISTINCT " + column + ") FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
