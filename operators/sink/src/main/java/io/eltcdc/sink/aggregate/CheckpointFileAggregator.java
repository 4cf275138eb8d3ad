package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.sink.commit.StagedBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.util.SimpleVersionedListState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-commit step of the staging sink, run with parallelism 1: gathers the file committables of
 * every writer into one {@link StagedBatch}, so that a single committer sees all files and loads
 * each table once per batch (Iceberg's Flink sink gathers the same way).
 *
 * <p>The load interval ({@code destination.load-interval}) sets how often a batch goes out. At
 * zero, every checkpoint's files leave just before its barrier. Otherwise the files of several
 * checkpoints wait here, in this operator's checkpointed state, until the interval has passed
 * since the last batch: warehouses then see one load per interval (cost and daily quotas stay
 * bounded) while checkpoints stay frequent. The waiting files are pending FileSink files, made
 * visible by the committer when their batch is loaded. Files of a table synced while the pipeline
 * streams wait until the sync is complete ({@link SyncHolds}). With the change log read beside the
 * initial snapshot, each batch says which tables keep tombstones and which purge them
 * ({@link SnapshotTombstones}).
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Parallelism and max parallelism 1: one batch per checkpoint at most, for the whole job.
 *   <li>A batch leaves before the barrier of the checkpoint whose id it carries, so the committer
 *       gets it only once that checkpoint has completed.
 *   <li>A file that waits (load interval, sync hold) is in this operator's checkpointed state until
 *       its batch leaves; a restore keeps it waiting, and the interval counts again from there.
 *   <li>A batch in which a sync ends leaves at once, whatever the interval.
 *   <li>At the end of a bounded input every waiting file leaves, in a batch that leaves even when
 *       empty (the committer runs at least once, and creates tables without rows).
 *   <li>The state is one {@link AggregatorState}, written by {@link AggregatorStateSerializer}; a
 *       restore that finds the state of earlier, unversioned builds fails instead of dropping it.
 * </ul>
 *
 * Public for {@code StagingLoadSink} only.
 */
@Internal
public final class CheckpointFileAggregator extends AbstractStreamOperator<CommittableMessage<StagedBatch>>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, CommittableMessage<StagedBatch>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFileAggregator.class);
    private static final String STATE = "aggregator-state";
    /**
     * Operator states of builds before the versioned {@link AggregatorState}: this build cannot read
     * them, and ignoring them would drop the files they hold, so a restore that finds one fails.
     */
    private static final Set<String> UNVERSIONED_STATES =
            Set.of("files-awaiting-load", "sync-held-files", "sync-held-tables", "sync-released-tables");

    private final long intervalMillis;
    private final SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> committableSerializer;
    private final SerializableSupplier<SyncHolds> syncHoldsSupplier;
    private final SerializableSupplier<SnapshotTombstones> tombstonesSupplier;

    private transient List<FileSinkCommittable> files;
    private transient SyncHolds syncHolds;
    private transient SnapshotTombstones tombstones;
    private transient ListState<AggregatorState> state;
    private transient List<TableId> replaced;
    private transient long lastCheckpointId;
    private transient long lastEmitMillis;
    private transient boolean emitAlways;

    /**
     * @param loadInterval zero to send every checkpoint's files, else the least time between batches
     * @param committableSerializer the FileSink's, for files that wait in state
     * @param syncHolds the holds of mid-stream table syncs, {@link SyncHolds#none()} for none
     * @param tombstones the tables of an initial snapshot read beside the change log,
     *     {@link SnapshotTombstones#none()} when the log is read after it
     */
    public CheckpointFileAggregator(
            Duration loadInterval,
            SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> committableSerializer,
            SerializableSupplier<SyncHolds> syncHolds,
            SerializableSupplier<SnapshotTombstones> tombstones) {
        this.intervalMillis = loadInterval.toMillis();
        this.committableSerializer = committableSerializer;
        this.syncHoldsSupplier = syncHolds;
        this.tombstonesSupplier = tombstones;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        files = new ArrayList<>();
        syncHolds = syncHoldsSupplier.get();
        tombstones = tombstonesSupplier.get();
        replaced = List.of();
        lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        OperatorStateStore store = context.getOperatorStateStore();
        Set<String> unversioned = new TreeSet<>(store.getRegisteredStateNames());
        unversioned.retainAll(UNVERSIONED_STATES);
        if (!unversioned.isEmpty()) {
            throw new IllegalStateException("the checkpoint or savepoint holds the sink's state in the format of an"
                    + " earlier elt-cdc build " + unversioned + ", which this build cannot read; start the pipeline"
                    + " afresh instead of restoring it");
        }
        state = new SimpleVersionedListState<>(
                store.getListState(new ListStateDescriptor<>(STATE, BytePrimitiveArraySerializer.INSTANCE)),
                new AggregatorStateSerializer(committableSerializer.get()));
        for (AggregatorState restored : state.get()) {
            files.addAll(restored.awaitingLoad());
            syncHolds.restore(restored.syncHolds());
            tombstones.restore(restored.tombstones());
        }
        // The interval counts again from the restore: the waiting files go out one interval later.
        lastEmitMillis = getProcessingTimeService().getCurrentProcessingTime();
        getRuntimeContext().getMetricGroup().gauge("filesAwaitingLoad", () -> files.size() + syncHolds.heldFileCount());
        if (!files.isEmpty()) {
            LOG.info("{} staged files restored; they are loaded within {} ms", files.size(), intervalMillis);
        }
    }

    @Override
    public void processElement(StreamRecord<CommittableMessage<FileSinkCommittable>> element) {
        if (element.getValue() instanceof CommittableWithLineage<FileSinkCommittable> committable) {
            files.add(committable.getCommittable());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        replaced = syncHolds.apply(checkpointId, files);
        tombstones.apply(checkpointId);
        // A sync that ended goes out at once: its table has waited for the whole sync already.
        if (now - lastEmitMillis >= intervalMillis || !replaced.isEmpty()) {
            emit(checkpointId);
            lastEmitMillis = now;
        } else if (!files.isEmpty()) {
            LOG.debug("checkpoint {}: {} staged files wait for the load interval", checkpointId, files.size());
        }
        lastCheckpointId = checkpointId;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Files wait here only for the load interval or a table sync.
        state.update(List.of(new AggregatorState(files, syncHolds.snapshot(), tombstones.snapshot())));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        syncHolds.checkpointComplete(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        // End of a bounded input: the writers' last files belong to the final checkpoint, which
        // comes after this; any id above the last one is committed by it. Waiting files go too.
        // The batch is emitted even when empty, so the committer runs at least once (and creates
        // tables without rows).
        emitAlways = true;
        emit(lastCheckpointId + 1);
        super.finish();
    }

    private void emit(long checkpointId) {
        // A table whose snapshot completed purges its tombstones in a load of its own, files or not.
        if (files.isEmpty() && !emitAlways && !tombstones.purgesAny()) {
            return;
        }
        StagedBatch batch =
                new StagedBatch(checkpointId, files, replaced, tombstones.keeping(), tombstones.takePurging());
        files = new ArrayList<>();
        replaced = List.of();
        output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 1, 0)));
        output.collect(new StreamRecord<>(new CommittableWithLineage<>(batch, checkpointId, 0)));
    }
}
