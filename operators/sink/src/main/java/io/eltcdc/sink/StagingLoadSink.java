package io.eltcdc.sink;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.connector.file.sink.writer.FileWriterBucketState;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The staging FileSink with the load attached to its commit: writers are the FileSink's own (so
 * files roll and are checkpointed exactly as FileSink does it), a parallelism-1 pre-commit step
 * gathers each checkpoint's files (several checkpoints' under a load interval), and one committer
 * commits them and loads them.
 *
 * <p>Why not FileSink plus a post-commit topology: in Flink 1.20 the post-commit topology loses
 * the files of the final checkpoint when its consumer is a separate task (FLINK-38614), so bounded
 * runs would lose their last files. Loading inside the committer has no such gap.
 */
public final class StagingLoadSink
        implements Sink<ChangeRecord>,
                SupportsWriterState<ChangeRecord, FileWriterBucketState>,
                SupportsCommitter<StagedBatch>,
                SupportsPreCommitTopology<FileSinkCommittable, StagedBatch> {
    private static final long serialVersionUID = 1L;
    /** Operator uid of the pre-commit step; the sink's own uid names the writer and committer. */
    public static final String AGGREGATOR_UID = "staging-checkpoint-files";

    private final FileSink<ChangeRecord> files;
    private final DestinationFactory destination;
    private final String pipeline;
    private final List<TableSchema> tables;
    private final Duration loadInterval;
    private final TableSyncControl syncControl;

    /**
     * @param tables the pipeline's tables: created in the destination before the first load
     */
    public StagingLoadSink(
            FileSink<ChangeRecord> files, DestinationFactory destination, String pipeline, List<TableSchema> tables) {
        this(files, destination, pipeline, tables, Duration.ZERO);
    }

    /**
     * @param tables the pipeline's tables: created in the destination before the first load
     * @param loadInterval zero to load every checkpoint's files, else the least time between loads
     *     (files of several checkpoints are then loaded together)
     */
    public StagingLoadSink(
            FileSink<ChangeRecord> files,
            DestinationFactory destination,
            String pipeline,
            List<TableSchema> tables,
            Duration loadInterval) {
        this(files, destination, pipeline, tables, loadInterval, null);
    }

    /**
     * @param syncControl the control files of tables synced while the pipeline streams (new tables,
     *     re-syncs), whose files wait until their sync is complete; null when there are none
     */
    public StagingLoadSink(
            FileSink<ChangeRecord> files,
            DestinationFactory destination,
            String pipeline,
            List<TableSchema> tables,
            Duration loadInterval,
            TableSyncControl syncControl) {
        this.syncControl = syncControl;
        if (loadInterval.isNegative()) {
            throw new IllegalArgumentException("load interval must not be negative: " + loadInterval);
        }
        this.loadInterval = loadInterval;
        this.files = files;
        this.tables = List.copyOf(tables);
        this.destination = destination;
        this.pipeline = pipeline;
    }

    @Override
    @Deprecated
    public SinkWriter<ChangeRecord> createWriter(InitContext context) throws IOException {
        return files.createWriter(context);
    }

    @Override
    public SinkWriter<ChangeRecord> createWriter(WriterInitContext context) throws IOException {
        return files.createWriter(context);
    }

    @Override
    public StatefulSinkWriter<ChangeRecord, FileWriterBucketState> restoreWriter(
            WriterInitContext context, Collection<FileWriterBucketState> state) throws IOException {
        return files.restoreWriter(context, state);
    }

    @Override
    public SimpleVersionedSerializer<FileWriterBucketState> getWriterStateSerializer() {
        return files.getWriterStateSerializer();
    }

    @Override
    public SimpleVersionedSerializer<FileSinkCommittable> getWriteResultSerializer() {
        return files.getCommittableSerializer();
    }

    @Override
    public DataStream<CommittableMessage<StagedBatch>> addPreCommitTopology(
            DataStream<CommittableMessage<FileSinkCommittable>> committables) {
        return committables
                .global()
                .transform(
                        "Gather checkpoint files",
                        CommittableMessageTypeInfo.of(this::getCommittableSerializer),
                        new CheckpointFileAggregator(loadInterval, files::getCommittableSerializer, syncControl))
                .uid(AGGREGATOR_UID)
                .setParallelism(1)
                .setMaxParallelism(1)
                // All batches go to committer subtask 0: one loader per pipeline.
                .global();
    }

    @Override
    public Committer<StagedBatch> createCommitter(CommitterInitContext context) throws IOException {
        return new LoadCommitter(
                files.createCommitter(context), destination, pipeline, tables, new LoadMetrics(context.metricGroup()));
    }

    @Override
    public SimpleVersionedSerializer<StagedBatch> getCommittableSerializer() {
        return new StagedBatchSerializer(files.getCommittableSerializer());
    }
}
