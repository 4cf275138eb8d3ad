package io.eltcdc.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.destination.postgres.PostgresDestination;
import io.eltcdc.model.TableSchema;
import io.eltcdc.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that cannot keep up (here: its target table locked in PostgreSQL) fills the
 * loader's queue and then holds the whole pipeline back, instead of piling up batches; once it is
 * free again every row arrives, once. The source emits one wave of rows per completed checkpoint,
 * so a pipeline held back emits no more waves.
 */
class LoadBackpressureTest {
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
    private static final int QUEUE = 2;
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(2);

    @TempDir
    Path tmp;

    @Test
    void aStuckDestinationHoldsThePipelineBackAndNothingIsLostOnceItMovesAgain() throws Exception {
        String url = TestPostgres.createDatabase("sink_backpressure");
        DestinationFactory destination = () -> new PostgresDestination(url, null, null, null);
        try (var d = destination.create()) {
            d.createTables(List.of(EVENTS)); // the table to lock, as the loader would create it
        }
        WavesSource.EMITTED.set(0);
        JobClient job;
        int emittedWhenFull;
        try (Connection lock = DriverManager.getConnection(url);
                Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE app.events IN ACCESS EXCLUSIVE MODE");
            job = start(destination);

            awaitQueueFull(job.getJobID());
            // The committer now waits for a free place and cannot finish the next checkpoint, so the
            // source, which waits for checkpoints, stopped early.
            emittedWhenFull = WavesSource.EMITTED.get();
            assertThat(emittedWhenFull)
                    .as("waves emitted when the queue filled")
                    .isLessThan(WAVES);
            lock.rollback();
        }
        job.getJobExecutionResult().get(2, TimeUnit.MINUTES);

        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (wave, n)) FROM app.events")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(WAVES * ROWS_PER_WAVE);
            assertThat(rs.getLong(2)).as("distinct rows").isEqualTo(WAVES * ROWS_PER_WAVE);
        }
        System.out.printf("queue of %d filled after %d of %d waves%n", QUEUE, emittedWhenFull, WAVES);
    }

    private JobClient start(DestinationFactory destination) throws Exception {
        return WavesSource.startJob(new Configuration(), tmp, destination, WAVES, ROWS_PER_WAVE, QUEUE, "backpressure");
    }

    /** Polls the loader's {@code batchesWaiting} until the queue is full; it must never hold more. */
    private static void awaitQueueFull(JobID job) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (true) {
            int waiting = METRICS.findMetric(job, "batchesWaiting")
                    .map(m -> ((Gauge<?>) m).getValue())
                    .map(v -> ((Number) v).intValue())
                    .orElse(0);
            assertThat(waiting).as("batches waiting").isLessThanOrEqualTo(QUEUE);
            if (waiting == QUEUE) {
                return;
            }
            assertThat(System.nanoTime()).as("the queue filled in time").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the poll interval
        }
    }
}
