package io.eltcdc.job.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.Main;
import io.eltcdc.job.cdc.Await;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.postgres.PostgresSlots;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} while a continuous pipeline (PostgreSQL into PostgreSQL) streams: changes made in the
 * source just before it are in flight, and must not be reported as drift (the differing ranges are
 * compared again until the destination has them); a row deleted in the destination behind the
 * pipeline's back still is.
 */
class VerifyWhileStreamingTest {
    private static final String PIPELINE = "vfy-stream";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path tmp;

    @Test
    void changesInFlightAreNoDriftButADeletedTargetRowIs() throws Exception {
        String sourceUrl = TestPostgres.createDatabase("vfy_stream_src");
        String destUrl = TestPostgres.createDatabase("vfy_stream_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, v int, note text)");
            s.execute("INSERT INTO items SELECT n, n, 'x' || n FROM generate_series(1, 2000) n");
        }
        Path file = pipelineFile(sourceUrl, destUrl);
        PipelineConfig config = PipelineConfig.load(file);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forPipeline(config));
        PipelineTopology.build(env, config, Preflight.check(config, System.out), RunMode.CONTINUOUS);
        JobClient job = env.executeAsync(PIPELINE);
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            Await.until(
                    "the initial sync to be loaded and the slot active",
                    Duration.ofMinutes(2),
                    () -> count(dst, "pg_tables WHERE schemaname = 'copy' AND tablename = 'items'") == 1
                            && count(dst, "copy.items") == 2000
                            && count(
                                            src,
                                            "pg_replication_slots WHERE active AND slot_name = '"
                                                    + ReplicationNames.slot(PIPELINE) + "'")
                                    == 1);

            try (Statement s = src.createStatement()) {
                s.execute("UPDATE items SET v = v + 1 WHERE id % 10 = 0");
                s.execute("DELETE FROM items WHERE id BETWEEN 500 AND 510");
                s.execute("INSERT INTO items SELECT n, n, 'new' FROM generate_series(5001, 5020) n");
            }
            Result inFlight = verify(file, "60s");
            assertThat(inFlight.exit()).as(inFlight.out() + inFlight.err()).isZero();
            assertThat(inFlight.out()).contains("verify: 1 table(s) equal");
            assertThat(inFlight.err()).contains("the pipeline may be streaming");

            try (Statement s = dst.createStatement()) {
                s.execute("DELETE FROM copy.items WHERE id = 1234");
            }
            Result drift = verify(file, "3s");
            assertThat(drift.exit()).as(drift.out() + drift.err()).isEqualTo(1);
            assertThat(drift.out())
                    .contains("public.items differs")
                    .contains("missing in the destination: 1 row(s), e.g. key 1234\n");
        } finally {
            job.cancel().get();
            try (Connection c = DriverManager.getConnection(sourceUrl)) {
                Await.until(
                        "the slot to be released",
                        Duration.ofMinutes(2),
                        () -> count(
                                        c,
                                        "pg_replication_slots WHERE active AND slot_name = '"
                                                + ReplicationNames.slot(PIPELINE) + "'")
                                == 0);
                PostgresSlots.drop(c, ReplicationNames.slot(PIPELINE), ReplicationNames.publication(PIPELINE));
            }
        }
    }

    private Path pipelineFile(String sourceUrl, String destUrl) throws Exception {
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        Path file = tmp.resolve("stream.yaml");
        Files.writeString(
                file,
                String.format(
                        """
                pipeline: { name: %s, parallelism: 1, checkpoint-interval: 1s }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.items], chunk-size: 300, heartbeat-interval: 1s }
                staging: { path: "file://%s", inactivity-interval: 1s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                        PIPELINE,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        tmp.resolve("staging"),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()));
        return file;
    }

    private static long count(Connection c, String from) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    record Result(int exit, String out, String err) {}

    private static Result verify(Path file, String settle) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBuffer = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBuffer, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBuffer, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute("verify", "--pipeline", file.toString(), "--settle-timeout", settle);
            return new Result(
                    exit, outBuffer.toString(StandardCharsets.UTF_8), errBuffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            out.print(outBuffer.toString(StandardCharsets.UTF_8));
            err.print(errBuffer.toString(StandardCharsets.UTF_8));
        }
    }
}
