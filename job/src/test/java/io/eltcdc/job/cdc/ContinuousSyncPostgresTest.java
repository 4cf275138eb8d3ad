package io.eltcdc.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.job.TableComparison;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.run.FlinkSettings;
import io.eltcdc.job.run.PipelineTopology;
import io.eltcdc.job.run.Preflight;
import io.eltcdc.job.run.RunMode;
import io.eltcdc.source.log.ReplicationNames;
import io.eltcdc.source.postgres.PostgresSlots;
import io.eltcdc.testing.JdbcUrl;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Continuous sync from PostgreSQL on one shared mini-cluster: a workload of inserts, updates,
 * deletes, key updates and TOAST-unchanged updates runs while the initial sync is reading and again
 * after it; the destination must then equal the source row by row. In both modes: the change log
 * read after the snapshot, and beside it ({@code source.log-during-snapshot}), where changes reach
 * rows whose snapshot rows come later.
 */
class ContinuousSyncPostgresTest {
    private static final int ORDERS = 20_000;
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "log-during-snapshot: {0}")
    @ValueSource(booleans = {false, true})
    void changesDuringAndAfterTheSnapshotReachTheDestination(boolean logDuringSnapshot) throws Exception {
        String sourceUrl = TestPostgres.createDatabase("cdc_pg_source");
        String destUrl = TestPostgres.createDatabase("cdc_pg_dest");
        try (Connection c = DriverManager.getConnection(sourceUrl)) {
            PostgresWorkload.createTables(c, ORDERS);
        }
        PipelineConfig config = config("cdc-pg", sourceUrl, destUrl, "hard", logDuringSnapshot);
        JobClient job = start(config);
        try {
            Await.until("the replication slot", Duration.ofSeconds(60), () -> slotExists(sourceUrl, "cdc-pg"));
            PostgresWorkload workload = new PostgresWorkload(sourceUrl, 42);
            workload.run(300); // races the snapshot's chunk reads
            awaitEqual(sourceUrl, destUrl);
            workload.run(300); // pure streaming
            awaitEqual(sourceUrl, destUrl);
        } finally {
            job.cancel().get();
            dropSlot(sourceUrl, "cdc-pg");
        }
    }

    /** An unconsumed slot keeps WAL on the server forever: never leave one behind. */
    static void dropSlot(String url, String pipeline) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            Await.until("the slot to be released", Duration.ofSeconds(30), () -> !slotActive(c, pipeline));
            PostgresSlots.drop(c, ReplicationNames.slot(pipeline), ReplicationNames.publication(pipeline));
        }
    }

    private static boolean slotActive(Connection c, String pipeline) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '"
                        + ReplicationNames.slot(pipeline) + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    static PipelineConfig config(String name, String sourceUrl, String destUrl, String deleteMode) throws Exception {
        return config(name, sourceUrl, destUrl, deleteMode, false);
    }

    static PipelineConfig config(
            String name, String sourceUrl, String destUrl, String deleteMode, boolean logDuringSnapshot)
            throws Exception {
        JdbcUrl src = JdbcUrl.parse(sourceUrl);
        JdbcUrl dst = JdbcUrl.parse(destUrl);
        return PipelineConfig.parse(
                String.format(
                        """
                pipeline: { name: %s, parallelism: 2, checkpoint-interval: 1s }
                source: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                          tables: [public.orders, public.lines], chunk-size: 500, heartbeat-interval: 1s,
                          log-during-snapshot: %s }
                staging: { path: "file://%s", roll-size: 1mb, inactivity-interval: 1s, roll-interval: 5s }
                destination: { type: postgres, host: %s, port: %d, database: %s, username: %s, password: "%s",
                               schema: copy }
                """,
                        name,
                        src.host(),
                        src.port(),
                        src.database(),
                        src.user(),
                        src.password(),
                        logDuringSnapshot,
                        System.getProperty("java.io.tmpdir") + "/elt-cdc-test-staging/" + name + "-"
                                + System.nanoTime(),
                        dst.host(),
                        dst.port(),
                        dst.database(),
                        dst.user(),
                        dst.password()),
                System::getenv);
    }

    static JobClient start(PipelineConfig config) throws Exception {
        List<io.eltcdc.model.TableSchema> tables = Preflight.check(config, System.out);
        Preflight.checkChangeLog(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.forPipeline(config));
        PipelineTopology.build(env, config, tables, RunMode.CONTINUOUS);
        return env.executeAsync(config.pipeline().name());
    }

    static boolean slotExists(String url, String pipeline) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                        + ReplicationNames.slot(pipeline) + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    /** Waits until every table of the destination equals the source, then asserts it row by row. */
    static void awaitEqual(String sourceUrl, String destUrl) throws Exception {
        try (Connection src = DriverManager.getConnection(sourceUrl);
                Connection dst = DriverManager.getConnection(destUrl)) {
            utc(src);
            utc(dst);
            Await.until(
                    "the destination to equal the source",
                    CATCH_UP,
                    () -> equal(src, dst, "orders") && equal(src, dst, "lines"));
            for (String table : List.of("orders", "lines")) {
                assertThat(TableComparison.destinationRows(
                                src, "public", table, dst, TableComparison.Dialect.POSTGRES, "copy"))
                        .as(table)
                        .containsExactlyElementsOf(TableComparison.sourceRows(src, "public", table));
            }
        }
    }

    private static boolean equal(Connection src, Connection dst, String table) throws Exception {
        try {
            return Objects.equals(
                    TableComparison.sourceRows(src, "public", table),
                    TableComparison.destinationRows(
                            src, "public", table, dst, TableComparison.Dialect.POSTGRES, "copy"));
        } catch (java.sql.SQLException e) {
            return false; // the target table is not there yet
        }
    }

    private static void utc(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
    }
}
