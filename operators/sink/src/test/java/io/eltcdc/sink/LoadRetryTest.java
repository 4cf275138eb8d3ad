package io.eltcdc.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.duckdb.DuckDbDestination;
import io.eltcdc.destination.postgres.PostgresDestination;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TcpForwarder;
import io.eltcdc.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that is unavailable for a while is waited out by the loader: the job keeps running
 * — it may not restart at all here — and once the destination answers again every row arrives,
 * once. Unavailable here: a PostgreSQL server that goes away (its port, as the loader sees it,
 * refuses connections and cuts the open ones) and comes back; a DuckDB file that another process
 * holds open, as a query tool does.
 */
class LoadRetryTest {
    private static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final TableSchema EVENTS = WavesSource.EVENTS;
    private static final int WAVES = 30;
    private static final int ROWS_PER_WAVE = 10;
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(2);

    @TempDir
    Path tmp;

    @Test
    void aDestinationThatGoesAwayIsWaitedOutWithoutARestart() throws Exception {
        String url = TestPostgres.createDatabase("sink_retry");
        JdbcUrl direct = JdbcUrl.parse(url);
        try (TcpForwarder server = TcpForwarder.start(direct.host(), direct.port())) {
            String viaForwarder = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + direct.database() + "?user="
                    + URLEncoder.encode(direct.user(), StandardCharsets.UTF_8)
                    + (direct.password() == null || direct.password().isEmpty()
                            ? ""
                            : "&password=" + URLEncoder.encode(direct.password(), StandardCharsets.UTF_8));
            DestinationFactory destination = () -> new PostgresDestination(viaForwarder, null, null, null);
            WavesSource.EMITTED.set(0);
            JobClient job = start(destination);

            try (Connection c = DriverManager.getConnection(url)) {
                await("the first rows loaded", () -> count(c) > 0);
            }
            server.shut();
            await(
                    "a load waiting for the destination for 2 s or more",
                    () -> gauge(job.getJobID(), "loadsWaitingForDestination") >= 1
                            && gauge(job.getJobID(), "destinationUnavailableSeconds") >= 2);
            server.open();

            job.getJobExecutionResult().get(2, TimeUnit.MINUTES); // fails if the job failed: no restart allowed
            assertThat(gauge(job.getJobID(), "loadsWaitingForDestination")).isZero();
        }
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (wave, n)) FROM app.events")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(WAVES * ROWS_PER_WAVE);
            assertThat(rs.getLong(2)).as("distinct rows").isEqualTo(WAVES * ROWS_PER_WAVE);
        }
    }

    @Test
    void aDuckDbFileHeldByAQueryToolIsWaitedOut() throws Exception {
        String db = tmp.resolve("held.duckdb").toString();
        Process holder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DuckDbFileHolder.class.getName(),
                        db)
                .redirectErrorStream(true)
                .start();
        JobClient job;
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the holder's first line").startsWith("holding");
            WavesSource.EMITTED.set(0);
            job = start(() -> new DuckDbDestination(db, null));
            // The tables cannot even be created while the file is held: that waits too.
            await(
                    "the loader waiting for the held file for 2 s or more",
                    () -> gauge(job.getJobID(), "loadsWaitingForDestination") >= 1
                            && gauge(job.getJobID(), "destinationUnavailableSeconds") >= 2);
        } finally {
            holder.getOutputStream().close(); // the holder lets go of the file and ends
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES); // fails if the job failed: no restart allowed
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (wave, n)) FROM app.events")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(WAVES * ROWS_PER_WAVE);
            assertThat(rs.getLong(2)).as("distinct rows").isEqualTo(WAVES * ROWS_PER_WAVE);
        }
    }

    /** A job that may not restart: only a load waited out in place lets it end. */
    private JobClient start(DestinationFactory destination) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return WavesSource.startJob(conf, tmp, destination, WAVES, ROWS_PER_WAVE, 2, "retry");
    }

    private static long count(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('app.events') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0; // not created yet
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM app.events")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long gauge(JobID job, String name) {
        return METRICS.findMetric(job, name)
                .map(m -> ((Gauge<?>) m).getValue())
                .map(v -> ((Number) v).longValue())
                .orElse(0L);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!check.holds()) {
            assertThat(System.nanoTime()).as("%s in time", what).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the poll interval
        }
    }
}
