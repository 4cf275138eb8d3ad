package io.eltcdc.load;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Pre-commit step of the staging sink, run with parallelism 1: gathers the file committables of
 * every writer for a checkpoint into one {@link StagedBatch}, so that a single committer sees all
 * files of the checkpoint and loads each table once per checkpoint (Iceberg's Flink sink does the
 * same). It emits the batch just before the checkpoint's barrier, so nothing is held in state: the
 * committer operator downstream keeps the batch until the checkpoint completes.
 */
final class CheckpointFileAggregator extends AbstractStreamOperator<CommittableMessage<StagedBatch>>
        implements OneInputStreamOperator<CommittableMessage<FileSinkCommittable>, CommittableMessage<StagedBatch>> {
    private static final long serialVersionUID = 1L;

    private transient List<FileSinkCommittable> files;
    private transient long lastCheckpointId;
    private transient boolean emitAlways;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        files = new ArrayList<>();
        lastCheckpointId = context.getRestoredCheckpointId().orElse(0L);
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
        emit(checkpointId);
        lastCheckpointId = checkpointId;
    }

    @Override
    public void finish() throws Exception {
        // End of a bounded input: the writers' last files belong to the final checkpoint, which
        // comes after this; any id above the last one is committed by it. The batch is emitted
        // even when empty, so the committer runs at least once (and creates tables without rows).
        emitAlways = true;
        emit(lastCheckpointId + 1);
        super.finish();
    }

    private void emit(long checkpointId) {
        if (files.isEmpty() && !emitAlways) {
            return;
        }
        StagedBatch batch = new StagedBatch(checkpointId, files);
        files = new ArrayList<>();
        output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 1, 0)));
        output.collect(new StreamRecord<>(new CommittableWithLineage<>(batch, checkpointId, 0)));
    }
}
