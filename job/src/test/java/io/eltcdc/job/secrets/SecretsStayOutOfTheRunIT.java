package io.eltcdc.job.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.cdc.Await;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.postgres.PostgresSlots;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.S3ProxyServer;
import io.eltcdc.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar runs a continuous PostgreSQL → PostgreSQL pipeline with S3 staging (S3Proxy) and
 * checkpoints, whose source password and S3 secret key come from the process's environment and the
 * destination password from a file, each a unique marker. After the snapshot and some changes
 * reached the destination (row by row equal) the run is stopped, and no file it wrote holds a marker
 * as text or base64: the checkpoints (operator state, metadata), the staged files, the mini-cluster's
 * temporary folders (blobs, the job graph) and its log with the local Flink cluster's logging (INFO),
 * scanned while it runs and after.
 */
class SecretsStayOutOfTheRunIT {
    private static final String PIPELINE = "secrets-run";
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final String DIGEST =
            "SELECT count(*), md5(string_agg(id || ':' || name, ',' ORDER BY id)) FROM public.items";

    @TempDir
    Path tmp;

    @Test
    void noMarkerInCheckpointsStagingTemporaryFilesOrLogs() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("secrets_run_src");
        String destUrl = TestPostgres.createDatabase("secrets_run_dst");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.items (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO public.items SELECT g, 'item ' || g FROM generate_series(1, 2000) g");
        }
        Map<String, String> markers = new LinkedHashMap<>();
        markers.put("source.password", SecretMarkers.marker("source"));
        markers.put("staging.s3.secret-key", SecretMarkers.marker("s3"));
        markers.put("destination.password", SecretMarkers.marker("destination"));

        Path secrets = Files.createDirectories(tmp.resolve("secrets")); // not scanned: the secret's own file
        Path destPassword =
                Files.writeString(secrets.resolve("destination-password"), markers.get("destination.password") + "\n");
        Path state = tmp.resolve("state");
        Path s3Data = Files.createDirectories(tmp.resolve("s3"));
        Path runTmp = Files.createDirectories(tmp.resolve("run-tmp"));
        Path log = runTmp.resolve("logs/run.log");
        Path output = tmp.resolve("run.out");
        List<Path> scanned = List.of(state, s3Data, runTmp, output);

        try (S3ProxyServer s3 = S3ProxyServer.startWithSecretKey(s3Data, markers.get("staging.s3.secret-key"))) {
            s3.createBucket("secrets-staging");
            Path pipeline = writePipeline(sourceUrl, destUrl, s3.endpoint(), state, destPassword);
            Process run = start(pipeline, runTmp, log, output, markers);
            try {
                awaitEqual(sourceUrl, destUrl, run, output);
                try (Connection c = DriverManager.getConnection(sourceUrl);
                        Statement s = c.createStatement()) {
                    s.execute("INSERT INTO public.items SELECT g, 'new ' || g FROM generate_series(2001, 2100) g");
                    s.execute("UPDATE public.items SET name = 'changed ' || id WHERE id % 10 = 0");
                    s.execute("DELETE FROM public.items WHERE id % 97 = 0");
                }
                awaitEqual(sourceUrl, destUrl, run, output);
                var hits = SecretMarkers.foundInFiles(scanned, markers);
                assertThat(hits)
                        .as("markers in the running pipeline's files:\n%s", SecretMarkers.describe(hits, markers))
                        .isEmpty();
            } finally {
                run.destroy(); // SIGTERM: the run cancels its job and keeps its checkpoints
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            dropSlot(sourceUrl);
        }

        List<Path> files = SecretMarkers.files(scanned);
        assertThat(files)
                .as("checkpoint metadata, staged files and the log were scanned")
                .anyMatch(f -> f.startsWith(state) && f.getFileName().toString().equals("_metadata"))
                .anyMatch(f -> f.startsWith(s3Data))
                .contains(log);
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logText)
                .as("the log holds the connectors' INFO lines")
                .contains("io.eltcdc")
                .containsIgnoringCase("checkpoint");
        var hits = SecretMarkers.foundInFiles(scanned, markers);
        assertThat(hits)
                .as(
                        "markers in the files of the stopped run (%d scanned):\n%s",
                        files.size(), SecretMarkers.describe(hits, markers))
                .isEmpty();
    }

    private Path writePipeline(String sourceUrl, String destUrl, String s3Endpoint, Path state, Path destPassword)
            throws Exception {
        JdbcUrl s = JdbcUrl.parse(sourceUrl);
        JdbcUrl d = JdbcUrl.parse(destUrl);
        String yaml = String.format(
                """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s, state-dir: "file://%s" }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                          password: "${env:ELT_TEST_SOURCE_PASSWORD}", tables: [public.items], chunk-size: 500,
                          heartbeat-interval: 1s }
                staging:
                  path: s3://secrets-staging/stage
                  inactivity-interval: 1s
                  retention: keep
                  s3: { endpoint: "%s", access-key: %s, secret-key: "${env:ELT_TEST_S3_SECRET}",
                        path-style-access: true }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s,
                               password: "${file:%s}" }
                """,
                PIPELINE,
                state,
                s.host(),
                s.port(),
                s.database(),
                s.user(),
                s3Endpoint,
                S3ProxyServer.ACCESS_KEY,
                d.host(),
                d.port(),
                d.database(),
                d.user(),
                destPassword);
        return Files.writeString(tmp.resolve("pipeline.yaml"), yaml);
    }

    /** The jar's {@code run}, its temporary files in {@code runTmp}, logging as a cluster does to {@code log}. */
    private static Process start(Path pipeline, Path runTmp, Path log, Path output, Map<String, String> markers)
            throws Exception {
        // The local Flink cluster's logging (root at INFO), as a cluster logs: scripts/local-cluster.sh uses it.
        Path log4j = Path.of("../scripts/lib/flink-log4j.properties").toAbsolutePath();
        assertThat(log4j).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + runTmp,
                "-Dlog4j2.configurationFile=" + log4j,
                "-Dlog.file=" + log,
                "-jar",
                System.getProperty("eltcdc.jar", "target/elt-cdc.jar"),
                "run",
                "--pipeline",
                pipeline.toString(),
                "--progress-interval",
                "1s"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("ELT_TEST_SOURCE_PASSWORD", markers.get("source.password"));
        builder.environment().put("ELT_TEST_S3_SECRET", markers.get("staging.s3.secret-key"));
        return builder.start();
    }

    private static void awaitEqual(String sourceUrl, String destUrl, Process run, Path output) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until("the destination to equal the source (see " + output + ")", DEADLINE, () -> {
                if (!run.isAlive()) {
                    throw new AssertionError("the run ended (exit " + run.exitValue() + "):\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return tableExists(dst) && digest(dst).equals(digest(src));
            });
            assertThat(digest(dst)).isEqualTo(digest(src));
            try (Statement s = dst.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM public.items")) {
                rs.next();
                assertThat(rs.getLong(2)).as("no duplicate key").isEqualTo(rs.getLong(1));
            }
        }
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('public.items') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<String> digest(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(DIGEST)) {
            rs.next();
            return List.of(String.valueOf(rs.getLong(1)), String.valueOf(rs.getString(2)));
        }
    }

    private static void dropSlot(String sourceUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(sourceUrl)) {
            Await.until("the slot to be released", Duration.ofSeconds(30), () -> !slotActive(c));
            PostgresSlots.drop(c, ReplicationNames.slot(PIPELINE), ReplicationNames.publication(PIPELINE));
        }
    }

    private static boolean slotActive(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '"
                        + ReplicationNames.slot(PIPELINE) + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
