package io.eltcdc.job;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's view of resumability: the packaged jar runs a pipeline, is killed with SIGKILL in the
 * middle of the initial sync, and the same command run again finishes it. The destination must
 * then equal the source with no duplicate key, and the second run must not have read again the
 * rows that the first run had already loaded.
 */
class ResumeAfterKillIT {
    private static final int ROWS = 600_000;
    private static final Duration DEADLINE = Duration.ofMinutes(4);

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesWithoutRereadingOrDuplicating() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("kill_source");
        String destUrl = TestPostgres.createDatabase("kill_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE public.events (id bigint PRIMARY KEY, kind text, amount numeric(12,2), at timestamptz)");
            s.execute("INSERT INTO public.events SELECT i, 'kind-' || (i % 13), i * 0.25, "
                    + "timestamptz '2020-01-01 00:00:00+00' + i * interval '1 second' FROM generate_series(1, " + ROWS
                    + ") i");
            s.execute("ANALYZE public.events");
        }
        Path pipeline = writePipeline(sourceUrl, destUrl);

        // Run 1: kill -9 once some rows are loaded, well before the end.
        Process first = start(pipeline, tmp.resolve("run1.log"));
        long loadedBeforeKill;
        try (Connection dest = DriverManager.getConnection(destUrl)) {
            loadedBeforeKill = waitFor(() -> countIfExists(dest), n -> n > 0, first);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean cancel
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            loadedBeforeKill = countIfExists(dest);
        }
        assertThat(loadedBeforeKill)
                .as("the first run must be killed in the middle of the snapshot; see %s", tmp.resolve("run1.log"))
                .isBetween(1L, (long) ROWS - 1);

        // Run 2: the same command resumes and ends.
        Process second = start(pipeline, tmp.resolve("run2.log"));
        assertThat(second.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .as("second run ends")
                .isTrue();
        List<String> output = Files.readAllLines(tmp.resolve("run2.log"));
        assertThat(second.exitValue()).as(String.join("\n", output)).isZero();
        assertThat(output).anyMatch(l -> l.startsWith("Resuming pipeline"));

        long rereadLimit = ROWS - loadedBeforeKill;
        assertThat(rowsRead(output)).as("rows read by the resumed run").isLessThanOrEqualTo(rereadLimit);

        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            String digest =
                    "SELECT count(*), count(DISTINCT id), md5(string_agg(id || ':' || kind || ':' || amount || ':' "
                            + "|| extract(epoch from at), ',' ORDER BY id)) FROM public.events";
            assertThat(row(dst, digest)).isEqualTo(row(src, digest));
            assertThat(row(dst, "SELECT count(*) FROM public.events")).containsExactly(String.valueOf(ROWS));

            // Loaded files are deleted, also those the killed run loaded: only the files of the batches
            // that were still waiting at the final checkpoint (a load queue of 4) and of the final batch stay.
            long mayStay = Long.parseLong(row(
                            dst,
                            "SELECT coalesce(sum(files), 0) FROM (SELECT files FROM elt_cdc.loads"
                                    + " WHERE pipeline = 'kill-test' ORDER BY loaded_at DESC LIMIT 5) last")
                    .get(0));
            long loaded = Long.parseLong(row(dst, "SELECT sum(files) FROM elt_cdc.loads WHERE pipeline = 'kill-test'")
                    .get(0));
            try (var files = Files.walk(tmp.resolve("staging"))) {
                List<Path> left = files.filter(f -> f.getFileName().toString().endsWith(".avro")
                                && !f.getFileName().toString().startsWith("."))
                        .toList();
                System.out.printf("staged files: %d loaded over both runs, %d left%n", loaded, left.size());
                assertThat(left).as("staged files left of %d loaded", loaded).hasSizeLessThanOrEqualTo((int) mayStay);
            }
        }
    }

    private Path writePipeline(String sourceUrl, String destUrl) throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String yaml = String.format(
                """
                pipeline: { name: kill-test, parallelism: 2, checkpoint-interval: 1s, state-dir: "file://%s" }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.events], chunk-size: 20000 }
                staging: { path: "file://%s", roll-size: 4mb, inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s" }
                """,
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

    private static Process start(Path pipeline, Path log) throws Exception {
        return JarRun.start(pipeline, log, "--snapshot-only");
    }

    /** Rows read in this run: the sum of the last progress line of each table. */
    private static long rowsRead(List<String> output) {
        Pattern p = Pattern.compile("^(\\S+): chunks .*rows read ([\\d,]+),");
        java.util.Map<String, Long> last = new java.util.HashMap<>();
        for (String line : output) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                last.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
            }
        }
        assertThat(last).as("progress lines in the output").isNotEmpty();
        return last.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long countIfExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM public.events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getString(i));
            }
            return out;
        }
    }

    private interface Probe {
        long get() throws Exception;
    }

    /** Polls {@code probe} until {@code done} holds, failing at the deadline or if the process ends first. */
    private static long waitFor(Probe probe, java.util.function.LongPredicate done, Process process) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            long value = probe.get();
            if (done.test(value)) {
                return value;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "the pipeline ended before the condition held (exit " + process.exitValue() + ")");
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("condition not reached within " + DEADLINE);
    }
}
