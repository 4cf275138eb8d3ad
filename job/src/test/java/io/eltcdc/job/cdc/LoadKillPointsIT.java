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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of the packaged jar at chosen points of the asynchronous load path of a continuous
 * pipeline, each time resumed by the same command:
 *
 * <ol>
 *   <li>while the batches of two tables load at once, both held mid-load by locks on their target
 *       tables;
 *   <li>after a batch is loaded and before its staged files are deleted (a later checkpoint
 *       deletes them);
 *   <li>after they are deleted and before the next checkpoint completes.
 * </ol>
 *
 * After each resume the destination must equal the source row by row; at the end no key is
 * duplicated and no committed staged file is left, also none of the killed runs'. The table syncs
 * are on, so their source's state is restored each time too.
 */
class LoadKillPointsIT {
    private static final String PIPELINE = "load-kill-test";
    private static final int ORDERS = 20_000;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void killedAtEachPointOfTheLoadPathConverges() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("load_kill_source");
        String destUrl = TestPostgres.createDatabase("load_kill_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            PostgresWorkload.createTables(c, ORDERS);
            s.execute("ANALYZE");
        }
        Path pipeline = writePipeline(sourceUrl, destUrl);
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dest = DriverManager.getConnection(destUrl)) {
            // Run 1: the snapshot loads; then the changes of both tables are held mid-load.
            Process run1 = start(pipeline, "run1");
            awaitEqual(sourceUrl, destUrl, run1, "run1");
            try (Connection locks = DriverManager.getConnection(destUrl)) {
                locks.setAutoCommit(false);
                execute(locks, "LOCK TABLE copy.orders, copy.lines IN ACCESS EXCLUSIVE MODE");
                changeBothTables(src, 1);
                poll("the loads of both tables, held by the locks", run1, () -> loadsWaitingOnALock(dest) == 2);
                kill(run1);
                locks.rollback();
            }

            // Run 2: resumes and loads them again; killed once a batch is loaded, before its files go.
            Process run2 = start(pipeline, "run2");
            awaitEqual(sourceUrl, destUrl, run2, "run2");
            Set<Path> before = stagedFiles();
            long loads = ledgerRows(dest);
            changeBothTables(src, 2);
            poll("the batches of both tables loaded", run2, () -> ledgerRows(dest) >= loads + 2);
            kill(run2);
            assertThat(minus(stagedFiles(), before))
                    .as("staged files of the loaded batches, not yet deleted when run 2 was killed")
                    .isNotEmpty();

            // Run 3: killed after the files of a loaded batch are deleted, before the next checkpoint.
            Process run3 = start(pipeline, "run3");
            awaitEqual(sourceUrl, destUrl, run3, "run3");
            before = stagedFiles();
            long loadsBefore = ledgerRows(dest);
            changeBothTables(src, 3);
            poll("the batches of both tables loaded", run3, () -> ledgerRows(dest) >= loadsBefore + 2);
            Set<Path> loaded = minus(stagedFiles(), before);
            assertThat(loaded).as("staged files of the batches just loaded").isNotEmpty();
            poll(
                    "the loaded batches' files deleted",
                    run3,
                    () -> loaded.stream().noneMatch(Files::exists));
            Set<Path> checkpoints = completedCheckpoints();
            kill(run3);
            assertThat(completedCheckpoints())
                    .as("run 3 killed before a checkpoint after the deletion completed")
                    .isEqualTo(checkpoints);

            // Run 4: resumes; more changes; everything converges and every committed file is deleted.
            Process run4 = start(pipeline, "run4");
            try {
                changeBothTables(src, 4);
                awaitEqual(sourceUrl, destUrl, run4, "run4");
                poll("no committed staged file left", run4, () -> stagedFiles().isEmpty());
                for (String table : List.of("copy.orders", "copy.lines")) {
                    String key = table.equals("copy.orders") ? "id" : "order_id, line";
                    assertThat(single(dest, "SELECT count(*) - count(DISTINCT (" + key + ")) FROM " + table))
                            .as("duplicate keys in %s", table)
                            .isZero();
                }
                System.out.printf(
                        "%d loads over four runs; hidden in-progress files the killed runs left: %d%n",
                        ledgerRows(dest), hiddenFiles());
            } finally {
                run4.destroy(); // SIGTERM: the runner cancels the job, keeping its checkpoints
                run4.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            ContinuousSyncPostgresTest.dropSlot(sourceUrl, PIPELINE);
        }
    }

    /** One transaction that updates, inserts and deletes rows of both tables, TOASTed notes untouched. */
    private static void changeBothTables(Connection src, int round) throws SQLException {
        src.setAutoCommit(false);
        try {
            execute(
                    src,
                    "UPDATE public.orders SET amount = amount + 1, status = 'round " + round + "' WHERE id <= 300");
            execute(src, "UPDATE public.lines SET qty = qty + " + round + " WHERE order_id <= 300");
            execute(
                    src,
                    "INSERT INTO public.orders (id, customer, amount, status) VALUES (" + (ORDERS + round)
                            + ", 'new in round " + round + "', " + round + ", 'new')");
            execute(src, "DELETE FROM public.lines WHERE order_id = " + (1000 + round));
            src.commit();
        } finally {
            src.setAutoCommit(true);
        }
    }

    private void awaitEqual(String sourceUrl, String destUrl, Process run, String name) throws Exception {
        try {
            ContinuousSyncPostgresTest.awaitEqual(sourceUrl, destUrl);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; " + name + " is " + (run.isAlive() ? "running" : "ended") + ", see its log: "
                            + tmp.resolve(name + ".log"),
                    e);
        }
    }

    /**
     * Connections to the destination database that wait on a lock: the loads. Asked outside a
     * transaction: within one, PostgreSQL answers from the activity it saw first.
     */
    private static long loadsWaitingOnALock(Connection c) throws SQLException {
        return single(
                c,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock'");
    }

    private static long ledgerRows(Connection dest) throws SQLException {
        return single(dest, "SELECT count(*) FROM elt_cdc.loads WHERE pipeline = '" + PIPELINE + "'");
    }

    /** The committed (visible) staged files. */
    private Set<Path> stagedFiles() throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("staging"))) {
            return new HashSet<>(files.filter(f -> f.getFileName().toString().endsWith(".avro")
                            && !f.getFileName().toString().startsWith("."))
                    .toList());
        } catch (java.io.UncheckedIOException e) {
            return stagedFiles(); // a file was deleted while the folder was walked: look again
        }
    }

    private long hiddenFiles() throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("staging"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(".part"))
                    .count();
        }
    }

    /** The checkpoints whose metadata is written, by path: a new completed checkpoint adds one. */
    private Set<Path> completedCheckpoints() throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("state"))) {
            return new HashSet<>(files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .toList());
        } catch (java.io.UncheckedIOException e) {
            return completedCheckpoints(); // an old checkpoint was removed while walking: look again
        }
    }

    private static Set<Path> minus(Set<Path> a, Set<Path> b) {
        Set<Path> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static void kill(Process run) throws InterruptedException {
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no clean cancel
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Polls every 20 ms (the kill points are windows of about one checkpoint interval), failing at
     * the deadline or when the run ends first.
     */
    private void poll(String what, Process run, Await.Check check) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!check.holds()) {
            if (!run.isAlive()) {
                throw new AssertionError("the pipeline ended (exit " + run.exitValue() + ") before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private Path writePipeline(String sourceUrl, String destUrl) throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String yaml = String.format(
                """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 3s, state-dir: "file://%s" }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.orders, public.lines], chunk-size: 5000, heartbeat-interval: 1s,
                          capture-new-tables: true, allow-resync: true }
                staging: { path: "file://%s", roll-size: 4mb, inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                PIPELINE,
                tmp.resolve("state"),
                s.host(),
                s.port(),
                s.database(),
                s.user(),
                s.password(),
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

    private Process start(Path pipeline, String name) throws Exception {
        return JarRun.start(pipeline, tmp.resolve(name + ".log"));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
