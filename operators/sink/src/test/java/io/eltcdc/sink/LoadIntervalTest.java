package io.eltcdc.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.duckdb.DuckDbDestination;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.staging.StagingFileSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code destination.load-interval}: the files of several checkpoints wait in the pre-commit
 * step's state and are loaded as one batch; none is lost or loaded twice across a restore. The
 * source writes one wave of rows per completed checkpoint, so every run spans several checkpoints
 * whatever the machine's speed.
 */
class LoadIntervalTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final TableSchema EVENTS = WavesSource.EVENTS;
    private static final int WAVES = 5;
    private static final int ROWS_PER_WAVE = 20;

    @TempDir
    Path tmp;

    @Test
    void everyCheckpointLoadsItsOwnBatch() throws Exception {
        String db = run(Duration.ZERO, false);

        assertThat(rows(db)).containsExactlyElementsOf(expectedRows());
        assertThat(ledgerFiles(db)).as("one batch per checkpoint with files").hasSizeGreaterThanOrEqualTo(WAVES);
    }

    @Test
    void filesOfManyCheckpointsWaitAndLoadAsOneBatch() throws Exception {
        String db = run(Duration.ofHours(1), false);

        assertThat(rows(db)).containsExactlyElementsOf(expectedRows());
        List<Integer> batches = ledgerFiles(db);
        assertThat(batches).as("one batch, sent at the end of the input").hasSize(1);
        assertThat(batches.get(0))
                .as("files of the batch, one per wave or more")
                .isGreaterThanOrEqualTo(WAVES);
    }

    @Test
    void waitingFilesSurviveARestore() throws Exception {
        WavesSource.FAILED.set(false);
        String db = run(Duration.ofHours(1), true);

        assertThat(WavesSource.FAILED)
                .as("the job failed once after a checkpoint that held waiting files")
                .isTrue();
        // The table has no key: a file lost or loaded twice would show as missing or repeated rows.
        assertThat(rows(db)).containsExactlyElementsOf(expectedRows());
        assertThat(ledgerFiles(db)).hasSize(1);
    }

    @Test
    void theLoaderIsChainedToTheCommitter() throws Exception {
        // Else the final checkpoint's batch, which the committer emits after its notification, is lost.
        StreamExecutionEnvironment env = environment(Duration.ZERO, false, WAVES);
        List<String> tasks = new ArrayList<>();
        env.getStreamGraph(false).getJobGraph().getVertices().forEach(v -> tasks.add(v.getName()));
        assertThat(tasks).contains("Sink: Committer -> Sink: Load into the destination");
    }

    @Test
    void aTableWithoutRowsIsCreatedAllTheSame() throws Exception {
        environment(Duration.ZERO, false, 0).execute("no rows");

        assertThat(rows(tmp.resolve("dest.duckdb").toString())).isEmpty();
    }

    private String run(Duration loadInterval, boolean failOnce) throws Exception {
        StreamExecutionEnvironment env = environment(loadInterval, failOnce, WAVES);
        env.execute("load interval " + loadInterval);
        return tmp.resolve("dest.duckdb").toString();
    }

    private StreamExecutionEnvironment environment(Duration loadInterval, boolean failOnce, int waves) {
        String db = tmp.resolve("dest.duckdb").toString();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        DestinationFactory destination = () -> new DuckDbDestination(db, null);
        env.addSource(new WavesSource(EVENTS, waves, ROWS_PER_WAVE, failOnce), "waves", ChangeRecordTypeInfo.INSTANCE)
                .uid("waves")
                .sinkTo(StagingLoadSink.builder(
                                StagingFileSink.build(StagingFileSink.defaults(
                                        tmp.resolve("staging").toUri().toString())),
                                destination,
                                "interval-test")
                        .tables(List.of(EVENTS))
                        .loadInterval(loadInterval)
                        .build())
                .uid("stage-and-load");
        return env;
    }

    private static List<String> expectedRows() {
        List<String> out = new ArrayList<>();
        for (int w = 0; w < WAVES; w++) {
            for (int n = 0; n < ROWS_PER_WAVE; n++) {
                out.add(w + "/" + n);
            }
        }
        return out;
    }

    private static List<String> rows(String db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT wave, n FROM app.events ORDER BY wave, n")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + "/" + rs.getInt(2));
            }
        }
        return out;
    }

    /** The number of files of each loaded batch, from the destination's ledger. */
    private static List<Integer> ledgerFiles(String db) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT files FROM elt_cdc.loads WHERE rows_staged > 0")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }
}
