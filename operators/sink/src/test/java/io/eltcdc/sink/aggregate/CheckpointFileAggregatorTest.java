package io.eltcdc.sink.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.sink.commit.StagedBatchSerializer;
import io.eltcdc.staging.StagingFileSink;
import io.eltcdc.staging.TableBucketAssigner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-commit step's state through a checkpoint and a restore, in Flink's operator test harness. */
class CheckpointFileAggregatorTest {
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    @TempDir
    Path staging;

    private FileSink<ChangeRecord> fileSink;
    private TableSyncControl control;

    @BeforeEach
    void setUp() {
        fileSink =
                StagingFileSink.build(StagingFileSink.defaults(staging.toUri().toString()));
        control = new TableSyncControl(staging.toUri().toString(), "p");
    }

    @Test
    void waitingAndHeldFilesSurviveARestore() throws Exception {
        control.started(ITEMS, Kind.RESYNC);
        OperatorSubtaskState checkpoint;
        try (var harness = harness(aggregator())) {
            harness.setProcessingTime(0);
            harness.open();
            harness.processElement(file(ORDERS, 1), 0);
            harness.processElement(file(ITEMS, 1), 0);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(harness.extractOutputValues())
                    .as("within the load interval")
                    .isEmpty();
            checkpoint = harness.snapshot(1, 0);
        }

        try (var harness = harness(aggregator())) {
            harness.setProcessingTime(0);
            harness.initializeState(checkpoint);
            harness.open();
            harness.prepareSnapshotPreBarrier(2);
            assertThat(harness.extractOutputValues())
                    .as("still within the interval")
                    .isEmpty();
            control.ended(ITEMS, Kind.RESYNC);
            harness.processElement(file(ITEMS, 3), 0);
            harness.prepareSnapshotPreBarrier(3);

            List<StagedBatch> batches = batches(harness.extractOutputValues());
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).checkpointId()).isEqualTo(3);
            assertThat(batches.get(0).files())
                    .as("the waiting file, the held one and the new one: the sync ended, so they go out at once")
                    .containsExactlyInAnyOrder(
                            file(ORDERS, 1).getCommittable(),
                            file(ITEMS, 1).getCommittable(),
                            file(ITEMS, 3).getCommittable());
            assertThat(batches.get(0).replacedTables()).containsExactly(ITEMS);
        }
    }

    @Test
    void withoutTableSyncsAnIntervalsFilesGoOutTogether() throws Exception {
        try (var harness = harness(new CheckpointFileAggregator(
                INTERVAL, fileSink::getCommittableSerializer, SyncHolds::none, SnapshotTombstones::none))) {
            control.started(ITEMS, Kind.RESYNC); // not read: the pipeline has no table syncs
            harness.setProcessingTime(0);
            harness.open();
            harness.processElement(file(ITEMS, 1), 0);
            harness.prepareSnapshotPreBarrier(1);
            harness.processElement(file(ORDERS, 2), 0);
            harness.setProcessingTime(INTERVAL.toMillis());
            harness.prepareSnapshotPreBarrier(2);

            List<StagedBatch> batches = batches(harness.extractOutputValues());
            assertThat(batches).hasSize(1);
            assertThat(batches.get(0).files())
                    .containsExactly(
                            file(ITEMS, 1).getCommittable(), file(ORDERS, 2).getCommittable());
            assertThat(batches.get(0).replacedTables()).isEmpty();
        }
    }

    @Test
    void aSnapshotBesideTheLogKeepsTombstonesUntilItsMarkerThenPurgesOnceAcrossARestore() throws Exception {
        TableSyncControl markers = control;
        OperatorSubtaskState checkpoint;
        try (var harness = harness(besideLog(markers))) {
            harness.open();
            harness.processElement(file(ITEMS, 1), 0);
            harness.prepareSnapshotPreBarrier(1);
            checkpoint = harness.snapshot(1, 0);

            StagedBatch first = batches(harness.extractOutputValues()).get(0);
            assertThat(first.keepingTombstones()).containsExactly(ITEMS, ORDERS);
            assertThat(first.purgingTombstones()).isEmpty();
        }
        markers.snapshotComplete(ITEMS);
        try (var harness = harness(besideLog(markers))) {
            harness.initializeState(checkpoint);
            harness.open();
            harness.processElement(file(ORDERS, 2), 0);
            harness.prepareSnapshotPreBarrier(2);
            harness.processElement(file(ITEMS, 3), 0);
            harness.prepareSnapshotPreBarrier(3);
            markers.snapshotComplete(ORDERS);
            harness.prepareSnapshotPreBarrier(4); // no file, but ORDERS completes: a batch to purge it
            harness.prepareSnapshotPreBarrier(5);

            List<StagedBatch> batches = batches(harness.extractOutputValues());
            assertThat(batches).hasSize(3); // checkpoint 5 has no file and no table completing: no batch
            assertThat(batches.get(0).keepingTombstones()).containsExactly(ORDERS, ITEMS);
            assertThat(batches.get(0).purgingTombstones()).containsExactly(ITEMS);
            assertThat(batches.get(1).keepingTombstones()).containsExactly(ORDERS);
            assertThat(batches.get(1).purgingTombstones()).isEmpty();
            assertThat(batches.get(2).files()).isEmpty();
            assertThat(batches.get(2).keepingTombstones()).containsExactly(ORDERS);
            assertThat(batches.get(2).purgingTombstones()).containsExactly(ORDERS);
        }
    }

    private CheckpointFileAggregator besideLog(TableSyncControl markers) {
        return new CheckpointFileAggregator(
                Duration.ZERO,
                fileSink::getCommittableSerializer,
                SyncHolds::none,
                () -> SnapshotTombstones.of(markers, List.of(ITEMS, ORDERS)));
    }

    @Test
    void stateOfTheEarlierUnversionedFormatIsRefused() throws Exception {
        OperatorSubtaskState earlier;
        try (var harness = new OneInputStreamOperatorTestHarness<>(new EarlierStateOperator())) {
            harness.open();
            earlier = harness.snapshot(1, 0);
        }

        try (var harness = harness(aggregator())) {
            assertThatThrownBy(() -> harness.initializeState(earlier))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("earlier elt-cdc build [sync-held-tables]")
                    .hasMessageContaining("start the pipeline afresh");
        }
    }

    private CheckpointFileAggregator aggregator() {
        TableSyncControl syncControl = control;
        return new CheckpointFileAggregator(
                INTERVAL,
                fileSink::getCommittableSerializer,
                () -> SyncHolds.of(syncControl),
                SnapshotTombstones::none);
    }

    /** A harness whose output goes through the sink's own batch serializer. */
    private OneInputStreamOperatorTestHarness<CommittableMessage<FileSinkCommittable>, CommittableMessage<StagedBatch>>
            harness(CheckpointFileAggregator aggregator) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(aggregator);
        harness.setup(
                CommittableMessageTypeInfo.of(() -> new StagedBatchSerializer(fileSink.getCommittableSerializer()))
                        .createSerializer(new SerializerConfigImpl()));
        return harness;
    }

    private static List<StagedBatch> batches(List<CommittableMessage<StagedBatch>> messages) {
        return messages.stream()
                .filter(m -> m instanceof CommittableWithLineage<StagedBatch>)
                .map(m -> ((CommittableWithLineage<StagedBatch>) m).getCommittable())
                .toList();
    }

    /** A committable of the table's bucket (a compacted file to clean up: no file needed). */
    private static CommittableWithLineage<FileSinkCommittable> file(TableId table, int n) {
        return new CommittableWithLineage<>(
                new FileSinkCommittable(
                        TableBucketAssigner.bucketOf(table, "v1"),
                        new org.apache.flink.core.fs.Path("/staging/part-" + table.table() + "-" + n)),
                n,
                0);
    }

    /** Keeps a state the way builds before the versioned pre-commit state did. */
    private static final class EarlierStateOperator extends AbstractStreamOperator<String>
            implements OneInputStreamOperator<String, String> {
        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            ListState<String> tables = context.getOperatorStateStore()
                    .getListState(new ListStateDescriptor<>("sync-held-tables", String.class));
            tables.add("RESYNC\u0000shop\u0000items");
        }

        @Override
        public void processElement(StreamRecord<String> element) {}
    }
}
