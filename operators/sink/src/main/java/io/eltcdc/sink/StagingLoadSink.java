package io.eltcdc.sink;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.VerificationResultFile;
import io.eltcdc.sink.aggregate.CheckpointFileAggregator;
import io.eltcdc.sink.aggregate.SnapshotTombstones;
import io.eltcdc.sink.aggregate.SyncHolds;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.sink.commit.StagedBatchSerializer;
import io.eltcdc.sink.commit.StagedFileCommitter;
import io.eltcdc.sink.load.StagedBatchLoader;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
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
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * The staging FileSink with the load attached after its commit: writers are the FileSink's own (so
 * files roll and are checkpointed exactly as FileSink does it), a parallelism-1 pre-commit step
 * gathers each checkpoint's files (several checkpoints' under a load interval), the committer
 * commits them, and a loader chained to it loads them into the destination while the job goes on.
 * Built with {@link #builder}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>A staged file is loaded only after the checkpoint that holds it has completed and its
 *       commit, and then once: a batch loaded again after a restore is skipped by the destination's
 *       ledger ({@link StagedBatchLoader}).
 *   <li>Committing stays on Flink's checkpoint-complete path, loading does not: a slow load delays
 *       the next checkpoint only once {@link Builder#loadQueue} batches wait.
 *   <li>Every file goes through one pre-commit subtask, one committer subtask and its loader: one
 *       loader per pipeline, each table loaded once per batch, tables in parallel
 *       ({@link Builder#loadParallelism}).
 *   <li>Operator uids are fixed: the sink's own (writer and committer), {@link #AGGREGATOR_UID} and
 *       {@link #LOADER_UID}; every piece of the sink's state has a serializer with a version and a
 *       magic number (the FileSink's own for the writers).
 *   <li>The sink names no destination: it opens them through the {@link DestinationFactory} it is
 *       given, in the loader.
 * </ul>
 *
 * <p>Why the loader is chained to the committer: in Flink 1.20 the post-commit topology loses the
 * files of the final checkpoint when its consumer is a separate task (FLINK-38614).
 */
public final class StagingLoadSink
        implements Sink<ChangeRecord>,
                SupportsWriterState<ChangeRecord, FileWriterBucketState>,
                SupportsCommitter<StagedBatch>,
                SupportsPreCommitTopology<FileSinkCommittable, StagedBatch>,
                SupportsPostCommitTopology<StagedBatch> {
    /**
     * Committed batches that may wait to load before the job waits. While they wait, checkpoints
     * complete, and with them the change log's position moves on (the slot's confirmed LSN): the
     * backlog of a load slower than the readers waits in staging, not in the source's WAL. With 4,
     * the tail of a 50 M-row snapshot whose loads lagged the readers held the slot 4 checkpoint
     * intervals; with 16, 2.5 (scripts/bench-wal.sh, README Benchmark). A batch costs a list of
     * file names here and in the loader's state; its files are in staging either way.
     */
    public static final int DEFAULT_LOAD_QUEUE = 16;

    private static final long serialVersionUID = 1L;
    /** Operator uid of the pre-commit step; the sink's own uid names the writer and committer. */
    public static final String AGGREGATOR_UID = "staging-checkpoint-files";
    /** Operator uid of the loader, chained after the committer. */
    public static final String LOADER_UID = "destination-load";

    private final FileSink<ChangeRecord> files;
    private final DestinationFactory destination;
    private final String pipeline;
    private final List<TableSchema> tables;
    private final Duration loadInterval;
    private final SerializableSupplier<SyncHolds> syncHolds;
    private final SerializableSupplier<SnapshotTombstones> tombstones;
    private final int loadParallelism;
    private final int loadQueue;
    private final StagingRetention retention;
    private final VerificationResultFile verificationResults;

    private StagingLoadSink(Builder builder) {
        this.files = builder.files;
        this.destination = builder.destination;
        this.pipeline = builder.pipeline;
        this.tables = List.copyOf(builder.tables);
        this.loadInterval = builder.loadInterval;
        this.syncHolds = builder.syncHolds;
        this.tombstones = builder.tombstones;
        this.loadParallelism = builder.loadParallelism;
        this.loadQueue = builder.loadQueue;
        this.retention = builder.retention;
        this.verificationResults = builder.verificationResults;
    }

    /**
     * @param files the staging FileSink, whose writers write the files that are loaded
     * @param destination opens the destination in the committer
     * @param pipeline the pipeline's name, which names its batches in the destination's ledger
     */
    public static Builder builder(FileSink<ChangeRecord> files, DestinationFactory destination, String pipeline) {
        return new Builder(files, destination, pipeline);
    }

    /** Builds a {@link StagingLoadSink}; {@link #tables} is required, the rest has defaults. */
    public static final class Builder {
        private final FileSink<ChangeRecord> files;
        private final DestinationFactory destination;
        private final String pipeline;
        private List<TableSchema> tables;
        private Duration loadInterval = Duration.ZERO;
        private SerializableSupplier<SyncHolds> syncHolds = SyncHolds::none;
        private SerializableSupplier<SnapshotTombstones> tombstones = SnapshotTombstones::none;
        private int loadParallelism = 1;
        private int loadQueue = DEFAULT_LOAD_QUEUE;
        private StagingRetention retention = StagingRetention.delete();
        private VerificationResultFile verificationResults;

        private Builder(FileSink<ChangeRecord> files, DestinationFactory destination, String pipeline) {
            this.files = files;
            this.destination = destination;
            this.pipeline = pipeline;
        }

        /** The pipeline's tables: created in the destination before the first load (also those without rows). */
        public Builder tables(List<TableSchema> tables) {
            this.tables = tables;
            return this;
        }

        /**
         * Zero (the default) to load every checkpoint's files, else the least time between loads
         * (files of several checkpoints are then loaded together).
         */
        public Builder loadInterval(Duration loadInterval) {
            this.loadInterval = loadInterval;
            return this;
        }

        /** Loads that run at once, each table on its own destination connection; 1 (the default) loads one at a time. */
        public Builder loadParallelism(int loadParallelism) {
            this.loadParallelism = loadParallelism;
            return this;
        }

        /**
         * Committed batches that may wait to load ({@link #DEFAULT_LOAD_QUEUE} by default); when as
         * many wait, committing the next waits for a load to finish, which backpressures the job.
         */
        public Builder loadQueue(int batches) {
            this.loadQueue = batches;
            return this;
        }

        /** When loaded staged files are deleted; {@link StagingRetention#delete()} by default. */
        public Builder retention(StagingRetention retention) {
            this.retention = retention;
            return this;
        }

        /**
         * The control files of tables synced while the pipeline streams (new tables, re-syncs), whose
         * files wait until their sync is complete. Unset: the pipeline syncs no table while it streams.
         */
        public Builder tableSyncControl(TableSyncControl control) {
            Objects.requireNonNull(
                    control,
                    "tableSyncControl must not be null (leave it unset when no table is synced while streaming)");
            this.syncHolds = () -> SyncHolds.of(control);
            return this;
        }

        /**
         * The initial snapshot is read beside the change log: every table of {@link #tables} keeps
         * tombstones until the snapshot's enumerator marks it complete in {@code markers}. Unset: the
         * change log is read after the snapshot (or not at all), and no load keeps tombstones.
         */
        public Builder snapshotBesideLog(TableSyncControl markers) {
            Objects.requireNonNull(markers, "snapshot completion markers");
            List<TableSchema> schemas = Objects.requireNonNull(tables, "set tables before snapshotBesideLog");
            List<TableId> ids = schemas.stream().map(TableSchema::id).toList();
            this.tombstones = () -> SnapshotTombstones.of(markers, ids);
            return this;
        }

        /** Where {@code verify} leaves its result: the loader shows it as gauges. Unset: no such gauges. */
        public Builder verificationResults(VerificationResultFile file) {
            this.verificationResults = Objects.requireNonNull(file, "verificationResults");
            return this;
        }

        /** @throws IllegalArgumentException when a required setting is missing or a value is out of range */
        public StagingLoadSink build() {
            require(files != null, "the staging FileSink (files) must not be null");
            require(destination != null, "the destination factory must not be null");
            require(pipeline != null && !pipeline.isBlank(), "the pipeline name must not be blank");
            require(
                    tables != null,
                    "tables(...) not set: the sink needs the pipeline's tables (an empty list when there are none)");
            require(tables.stream().noneMatch(Objects::isNull), "tables must not contain null");
            require(loadInterval != null, "the load interval must not be null (Duration.ZERO loads every checkpoint)");
            require(!loadInterval.isNegative(), "load interval must not be negative: " + loadInterval);
            require(loadParallelism >= 1, "load parallelism must be at least 1: " + loadParallelism);
            require(loadQueue >= 1, "the load queue must hold at least 1 batch: " + loadQueue);
            require(retention != null, "the staging retention must not be null");
            return new StagingLoadSink(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
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
                        new CheckpointFileAggregator(
                                loadInterval, files::getCommittableSerializer, syncHolds, tombstones))
                .uid(AGGREGATOR_UID)
                .setParallelism(1)
                .setMaxParallelism(1)
                // All batches go to committer subtask 0: one loader per pipeline.
                .global();
    }

    @Override
    public Committer<StagedBatch> createCommitter(CommitterInitContext context) throws IOException {
        return new StagedFileCommitter(files.createCommitter(context));
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<StagedBatch>> committed) {
        // Same parallelism as the committer and a forward edge: chained to it (see the class comment).
        committed
                .transform(
                        "Load into the destination",
                        Types.VOID,
                        new StagedBatchLoader(
                                destination,
                                pipeline,
                                tables,
                                loadParallelism,
                                loadQueue,
                                retention,
                                files::getCommittableSerializer,
                                verificationResults))
                .uid(LOADER_UID);
    }

    @Override
    public SimpleVersionedSerializer<StagedBatch> getCommittableSerializer() {
        return new StagedBatchSerializer(files.getCommittableSerializer());
    }
}
