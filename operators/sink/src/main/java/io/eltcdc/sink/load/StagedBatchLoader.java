package io.eltcdc.sink.load;

import io.eltcdc.destination.DestinationFactory;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.sync.VerificationResultFile;
import io.eltcdc.sink.StagingRetention;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.sink.commit.StagedBatchSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Loads the batches the committer has committed into the destination, off Flink's
 * checkpoint-complete path: the job goes on reading, writing and checkpointing while they load.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Every committed batch is loaded: a batch is in this operator's state from the checkpoint
 *       after it arrived until it is loaded, and the committer's own state holds it before that
 *       (a restore commits and emits it again). After a restore every pending batch is loaded
 *       again; the destination's ledger makes a repeat a no-op.
 *   <li>Chained to the committer (same parallelism, forward): the committer emits the batches of the
 *       final checkpoint after its notification, which only a chained operator still receives
 *       (FLINK-38614). All batches come to subtask 0 (the pre-commit step sends every batch to
 *       committer subtask 0); the others stay idle and open no connection.
 *   <li>Loads run on the {@link LoadScheduler}'s threads: tables in parallel, each table in order;
 *       a full queue blocks the committer, which backpressures the job.
 *   <li>A bounded run ends only after its last batch is loaded ({@link #close} after
 *       {@link #finish}); a cancelled or failed one stops at once.
 *   <li>Loaded files are deleted as the retention says, once no restore needs them
 *       ({@link StagedFileCleaner}).
 * </ul>
 *
 * Public for {@code StagingLoadSink} only.
 */
@Internal
public final class StagedBatchLoader extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CommittableMessage<StagedBatch>, Void> {
    private static final long serialVersionUID = 1L;
    private static final ListStateDescriptor<byte[]> STATE =
            new ListStateDescriptor<>("elt-cdc-loader-state", BytePrimitiveArraySerializer.INSTANCE);

    private final DestinationFactory destination;
    private final String pipeline;
    private final List<TableSchema> tables;
    private final int loadParallelism;
    private final int queueCapacity;
    private final StagingRetention retention;
    private final SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> fileSerializer;
    private final VerificationResultFile verificationResults;

    private transient LoaderStateSerializer stateSerializer;
    private transient ListState<byte[]> state;
    private transient List<StagedBatch> restoredPending;
    private transient LoadScheduler scheduler;
    private transient StagedFileCleaner cleaner;
    private transient boolean finished;

    /**
     * @param loadParallelism loads that run at once, each on its own destination connection
     * @param queueCapacity batches committed and not yet loaded, at most, before the job waits
     * @param verificationResults where {@code verify} leaves its result, for the gauges; null for none
     */
    public StagedBatchLoader(
            DestinationFactory destination,
            String pipeline,
            List<TableSchema> tables,
            int loadParallelism,
            int queueCapacity,
            StagingRetention retention,
            SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> fileSerializer,
            VerificationResultFile verificationResults) {
        this.verificationResults = verificationResults;
        this.destination = destination;
        this.pipeline = pipeline;
        this.tables = List.copyOf(tables);
        this.loadParallelism = loadParallelism;
        this.queueCapacity = queueCapacity;
        this.retention = retention;
        this.fileSerializer = fileSerializer;
        setChainingStrategy(ChainingStrategy.ALWAYS); // operators start as chain heads; see the invariants
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        stateSerializer = new LoaderStateSerializer(new StagedBatchSerializer(fileSerializer.get()));
        cleaner = new StagedFileCleaner(retention);
        // Union state: every subtask sees all of it and subtask 0, the one that loads, takes it, also
        // after a change of parallelism.
        state = context.getOperatorStateStore().getUnionListState(STATE);
        restoredPending = new ArrayList<>();
        if (context.isRestored() && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            for (byte[] bytes : state.get()) {
                LoaderState restored = SimpleVersionedSerialization.readVersionAndDeSerialize(stateSerializer, bytes);
                restoredPending.addAll(restored.pending());
                cleaner.restore(restored.deletions());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        MailboxExecutor mailbox = getContainingTask()
                .getMailboxExecutorFactory()
                .createExecutor(getOperatorConfig().getChainIndex());
        LoadMetrics metrics = new LoadMetrics(getMetricGroup());
        scheduler = new LoadScheduler(
                loadParallelism,
                queueCapacity,
                destination,
                new TableLoader(pipeline, tables, metrics),
                failure -> failTask(mailbox, failure),
                metrics.outages());
        metrics.queue(scheduler::batchesWaiting, scheduler::loadsRunning);
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && verificationResults != null) {
            VerificationGauges.register(getMetricGroup(), verificationResults);
        }
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            scheduler.createTables(); // the subtask that loads; the others open no connection
        }
        for (StagedBatch batch : restoredPending) {
            scheduler.add(batch);
        }
        restoredPending = null;
    }

    /**
     * Fails the task from its own thread, at once rather than at the next checkpoint. A task that
     * is already ending takes no more mail; it meets the failure in {@link #close} instead.
     */
    private static void failTask(MailboxExecutor mailbox, IOException failure) {
        try {
            mailbox.execute(
                    () -> {
                        throw failure;
                    },
                    "fail the job: a load failed");
        } catch (RejectedExecutionException ending) {
            // the task is closing: awaitLoaded() in close() throws the failure
        }
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<StagedBatch>> element) throws Exception {
        if (element.getValue() instanceof CommittableWithLineage<StagedBatch> batch) {
            scheduler.add(batch.getCommittable());
        }
        cleaner.loaded(scheduler.takeLoaded(), System.currentTimeMillis());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        scheduler.throwIfFailed();
        List<StagedBatch> pending;
        List<StagedBatch> loaded;
        synchronized (scheduler) { // one moment: a batch is either pending or loaded, never neither
            pending = scheduler.pending();
            loaded = scheduler.takeLoaded();
        }
        cleaner.loaded(loaded, System.currentTimeMillis());
        LoaderState snapshot = new LoaderState(pending, cleaner.snapshot(context.getCheckpointId()));
        state.update(List.of(SimpleVersionedSerialization.writeVersionAndSerialize(stateSerializer, snapshot)));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        cleaner.checkpointComplete(checkpointId, System.currentTimeMillis());
    }

    @Override
    public void finish() throws Exception {
        super.finish();
        finished = true; // the committer still emits the final checkpoint's batches after this
    }

    @Override
    public void close() throws Exception {
        try {
            if (finished && scheduler != null) {
                scheduler.awaitLoaded(); // a bounded run: ends once every batch is loaded
            }
        } finally {
            if (scheduler != null) {
                scheduler.close();
            }
            if (cleaner != null) {
                cleaner.close(finished);
            }
            super.close();
        }
    }
}
