package io.eltcdc.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.duckdb.DuckDbDestination;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.StagingFileSystems;
import io.eltcdc.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code staging.retention}: loaded files are deleted once a later checkpoint has completed (only the
 * files of the batches still waiting at the end remain), kept with {@code keep} or a retention not yet over;
 * every row arrives either way. One wave of rows, and so one staged file, per checkpoint.
 */
class StagingRetentionTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final TableSchema EVENTS = WavesSource.EVENTS;
    private static final int WAVES = 20;
    /** Batches that may wait to load: at the end, at most these and the final batch are not yet safe. */
    private static final int QUEUE = 2;

    private static final int ROWS_PER_WAVE = 10;

    @TempDir
    Path tmp;

    @Test
    void loadedFilesAreDeletedOnceNoRestoreNeedsThem() throws Exception {
        run(StagingRetention.delete());

        assertThat(loadedRows()).isEqualTo(WAVES * ROWS_PER_WAVE);
        assertThat(ledgerFiles()).as("files loaded").isGreaterThanOrEqualTo(WAVES);
        // Batches still waiting at the final checkpoint's snapshot (QUEUE at most) and the final batch
        // have no later checkpoint: their files stay. One file per batch here.
        assertThat(stagedFiles()).as("staged files left").hasSizeLessThanOrEqualTo(QUEUE + 1);
    }

    @Test
    void keptFilesAllStay() throws Exception {
        run(StagingRetention.keep());

        assertThat(loadedRows()).isEqualTo(WAVES * ROWS_PER_WAVE);
        assertThat(stagedFiles()).hasSize(ledgerFiles());
    }

    @Test
    void filesStayUntilTheirRetentionIsOver() throws Exception {
        run(StagingRetention.after(Duration.ofHours(1)));

        assertThat(loadedRows()).isEqualTo(WAVES * ROWS_PER_WAVE);
        assertThat(stagedFiles()).hasSize(ledgerFiles());
    }

    @Test
    void loadedFilesAreDeletedOnS3Too() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")))) {
            s3.createBucket("staging");
            StagingFileSystems.initialize(s3.flinkConfiguration());
            run(StagingRetention.delete(), "s3://staging/retention");

            assertThat(loadedRows()).isEqualTo(WAVES * ROWS_PER_WAVE);
            assertThat(ledgerFiles()).isGreaterThanOrEqualTo(WAVES);
            assertThat(s3.keys("staging", "retention/").stream().filter(k -> k.endsWith(".avro")))
                    .as("staged files left")
                    .hasSizeLessThanOrEqualTo(QUEUE + 1);
        }
    }

    private void run(StagingRetention retention) throws Exception {
        run(retention, tmp.resolve("staging").toUri().toString());
    }

    private void run(StagingRetention retention, String staging) throws Exception {
        String db = tmp.resolve("dest.duckdb").toString();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(1);
        env.enableCheckpointing(100);
        DestinationFactory destination = () -> new DuckDbDestination(db, null);
        env.addSource(new WavesSource(EVENTS, WAVES, ROWS_PER_WAVE, false), "waves", ChangeRecordTypeInfo.INSTANCE)
                .uid("waves")
                .sinkTo(StagingLoadSink.builder(
                                StagingFileSink.build(StagingFileSink.defaults(staging)), destination, "retention-test")
                        .tables(List.of(EVENTS))
                        .retention(retention)
                        .loadQueue(QUEUE)
                        .build())
                .uid("stage-and-load");
        env.execute("retention " + retention);
    }

    /** The committed staged files (not the hidden in-progress ones). */
    private List<Path> stagedFiles() throws Exception {
        try (Stream<Path> files = Files.walk(tmp.resolve("staging"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".avro")
                            && !f.getFileName().toString().startsWith("."))
                    .toList();
        }
    }

    private long loadedRows() throws Exception {
        return single("SELECT count(*) FROM app.events");
    }

    private int ledgerFiles() throws Exception {
        return (int) single("SELECT sum(files) FROM elt_cdc.loads");
    }

    private long single(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp.resolve("dest.duckdb"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
