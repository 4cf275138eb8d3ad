package io.eltcdc.sink;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.ChangeRecordTypeInfo;
import io.eltcdc.staging.StagingFileSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;

/**
 * Emits one wave of rows, then waits until a checkpoint taken after the wave has completed, so
 * each wave lands in its own checkpoint's file. With {@code failOnce}, it fails after the third
 * wave's checkpoint has completed, and resumes from there.
 */
final class WavesSource extends RichSourceFunction<ChangeRecord> implements CheckpointedFunction, CheckpointListener {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** {@code app.events (wave int, n int)}, without a key: the table the sink tests write. */
    static final TableSchema EVENTS = new TableSchema(
            new TableId("app", "events"),
            List.of(Column.of("wave", ColumnType.INT32), Column.of("n", ColumnType.INT32)),
            List.of());

    /**
     * Starts a job of one parallel source of {@code waves} waves into the stage-and-load sink, with
     * checkpoints every 100 ms and a loader queue of {@code queue}.
     *
     * @param conf the job's configuration (a restart strategy, say)
     */
    static JobClient startJob(
            Configuration conf,
            Path tmp,
            DestinationFactory destination,
            int waves,
            int rowsPerWave,
            int queue,
            String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(100);
        env.addSource(new WavesSource(EVENTS, waves, rowsPerWave, false), "waves", ChangeRecordTypeInfo.INSTANCE)
                .uid("waves")
                .sinkTo(StagingLoadSink.builder(
                                StagingFileSink.build(StagingFileSink.defaults(
                                        tmp.resolve("staging").toUri().toString())),
                                destination,
                                name + "-test")
                        .tables(List.of(EVENTS))
                        .loadQueue(queue)
                        .build())
                .uid("stage-and-load");
        return env.executeAsync(name);
    }

    /** Set once a source has failed on purpose (the source runs in this JVM's mini-cluster). */
    static final AtomicBoolean FAILED = new AtomicBoolean();
    /** Waves emitted by the sources of this JVM, for tests that watch the pipeline slow down. */
    static final AtomicInteger EMITTED = new AtomicInteger();

    private final TableSchema table;
    private final int waves;
    private final int rowsPerWave;
    private final boolean failOnce;
    private transient ListState<Integer> wavesState;
    private transient int wavesEmitted;
    private transient Map<Long, Integer> wavesAtCheckpoint;
    private transient int wavesCheckpointed;
    private volatile boolean running = true;

    /** Rows {@code (wave, n)} of {@code table}, whose first two columns are integers. */
    WavesSource(TableSchema table, int waves, int rowsPerWave, boolean failOnce) {
        this.table = table;
        this.waves = waves;
        this.rowsPerWave = rowsPerWave;
        this.failOnce = failOnce;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        wavesState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("waves", Integer.class));
        wavesAtCheckpoint = new HashMap<>();
        for (Integer w : wavesState.get()) {
            wavesEmitted = w;
        }
        wavesCheckpointed = wavesEmitted;
    }

    @Override
    public void run(SourceContext<ChangeRecord> ctx) throws Exception {
        while (running && wavesEmitted < waves) {
            synchronized (ctx.getCheckpointLock()) {
                for (int n = 0; n < rowsPerWave; n++) {
                    ctx.collect(new ChangeRecord(
                            table,
                            Op.INSERT,
                            Position.of(java.math.BigInteger.valueOf(wavesEmitted * rowsPerWave + n + 1)),
                            new Object[] {wavesEmitted, n}));
                }
                wavesEmitted++;
                EMITTED.incrementAndGet();
            }
            awaitCheckpointOf(wavesEmitted);
            if (failOnce && wavesEmitted == 3 && !FAILED.getAndSet(true)) {
                throw new IllegalStateException("failure injected by the test after wave 3");
            }
        }
    }

    private synchronized void awaitCheckpointOf(int waves) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (running && wavesCheckpointed < waves) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no checkpoint completed within " + DEADLINE);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        wavesState.update(List.of(wavesEmitted));
        synchronized (this) {
            wavesAtCheckpoint.put(context.getCheckpointId(), wavesEmitted);
        }
    }

    @Override
    public synchronized void notifyCheckpointComplete(long checkpointId) {
        Integer waves = wavesAtCheckpoint.remove(checkpointId);
        if (waves != null && waves > wavesCheckpointed) {
            wavesCheckpointed = waves;
            notifyAll();
        }
    }

    @Override
    public void cancel() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }
}
