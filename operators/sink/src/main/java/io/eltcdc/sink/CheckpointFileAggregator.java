package io.eltcdc.sink;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
 * visible by the committer when their batch is loaded; a restore keeps them waiting, and the end
 * of a bounded input sends them all. Files of a table synced while the pipeline streams wait
 * until the sync is complete ({@link SyncHolds}).
 */
final class CheckpointFileAggregator extends AbstractStreamOperator<CommittableMessage<StagedBatch>>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, CommittableMessage<StagedBatch>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFileAggregator.class);
    private static final String HELD_STATE = "files-awaiting-load";

    private static final String SYNC_FILES_STATE = "sync-held-files";
    private static final String SYNC_TABLES_STATE = "sync-held-tables";
    private static final String SYNC_RELEASED_STATE = "sync-released-tables";

    private final long intervalMillis;
    private final SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> committableSerializer;
    private final SerializableSupplier<SyncHolds> syncHoldsSupplier;

    private transient List<FileSinkCommittable> files;
    private transient ListState<FileSinkCommittable> heldState;
    private transient SyncHolds syncHolds;
    private transient ListState<FileSinkCommittable> syncFilesState;
    private transient ListState<String> syncTablesState;
    private transient ListState<String> syncReleasedState;
    private transient List<TableId> replaced;
    private transient long lastCheckpointId;
    private transient long lastEmitMillis;
    private transient boolean emitAlways;

    /**
     * @param loadInterval zero to send every checkpoint's files, else the least time between batches
     * @param committableSerializer the FileSink's, for files that wait in state
     * @param syncHolds the holds of mid-stream table syncs, {@link SyncHolds#none()} for none
     */
    CheckpointFileAggregator(
            Duration loadInterval,
            SerializableSupplier<SimpleVersionedSerializer<FileSinkCommittable>> committableSerializer,
            SerializableSupplier<SyncHolds> syncHolds) {
        this.intervalMillis = loadInterval.toMillis();
        this.committableSerializer = committableSerializer;
        this.syncHoldsSupplier = syncHolds;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        files = new ArrayList<>();
        replaced = List.of();
        lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
        heldState = new SimpleVersionedListState<>(
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(HELD_STATE, BytePrimitiveArraySerializer.INSTANCE)),
                committableSerializer.get());
        for (FileSinkCommittable held : heldState.get()) {
            files.add(held);
        }
        restoreSyncHolds(context);
        // The interval counts again from the restore: the waiting files go out one interval later.
        lastEmitMillis = getProcessingTimeService().getCurrentProcessingTime();
        getRuntimeContext().getMetricGroup().gauge("filesAwaitingLoad", () -> files.size() + syncHolds.heldFileCount());
        if (!files.isEmpty()) {
            LOG.info("{} staged files restored; they are loaded within {} ms", files.size(), intervalMillis);
        }
    }

    private void restoreSyncHolds(StateInitializationContext context) throws Exception {
        syncHolds = syncHoldsSupplier.get();
        var store = context.getOperatorStateStore();
        syncFilesState = new SimpleVersionedListState<>(
                store.getListState(new ListStateDescriptor<>(SYNC_FILES_STATE, BytePrimitiveArraySerializer.INSTANCE)),
                committableSerializer.get());
        syncTablesState = store.getListState(new ListStateDescriptor<>(SYNC_TABLES_STATE, String.class));
        syncReleasedState = store.getListState(new ListStateDescriptor<>(SYNC_RELEASED_STATE, String.class));
        Map<TableId, TableSyncControl.Kind> held = new LinkedHashMap<>();
        for (String table : syncTablesState.get()) {
            String[] parts = table.split("\u0000", -1);
            held.put(new TableId(parts[1], parts[2]), TableSyncControl.Kind.valueOf(parts[0]));
        }
        List<FileSinkCommittable> heldFiles = new ArrayList<>();
        syncFilesState.get().forEach(heldFiles::add);
        List<TableId> released = new ArrayList<>();
        for (String table : syncReleasedState.get()) {
            String[] parts = table.split("\u0000", -1);
            released.add(new TableId(parts[0], parts[1]));
        }
        syncHolds.restore(new SyncHoldsState(held, heldFiles, released));
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
        heldState.update(files); // empty unless the files wait for the load interval
        SyncHoldsState holds = syncHolds.snapshot();
        syncFilesState.update(holds.heldFiles());
        List<String> tables = new ArrayList<>();
        holds.held()
                .forEach((table, kind) ->
                        tables.add(kind.name() + "\u0000" + table.schema() + "\u0000" + table.table()));
        syncTablesState.update(tables);
        syncReleasedState.update(holds.released().stream()
                .map(table -> table.schema() + "\u0000" + table.table())
                .toList());
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
        if (files.isEmpty() && !emitAlways) {
            return;
        }
        StagedBatch batch = new StagedBatch(checkpointId, files, replaced);
        files = new ArrayList<>();
        replaced = List.of();
        output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 1, 0)));
        output.collect(new StreamRecord<>(new CommittableWithLineage<>(batch, checkpointId, 0)));
    }
}
