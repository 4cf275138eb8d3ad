package io.eltcdc.sink.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.sink.StateFixtures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;

/**
 * {@link AggregatorStateSerializer} reads the bytes its current version wrote (fixture
 * {@value #FIXTURE}, written once by {@link #main}) and refuses other versions and other bytes.
 */
class AggregatorStateSerializerTest {
    static final String FIXTURE = "aggregator-state-v2.bin";
    static final String FIXTURE_V1 = "aggregator-state-v1.bin";
    private static final TableId EVENTS = new TableId("app", "events");
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId NEW_ITEMS = new TableId("shop", "new_items");
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableId ODD = new TableId("Sales Dept", "Odd Name é");
    private static final String FILES = "file:" + StateFixtures.FILES_DIR;

    private final AggregatorStateSerializer serializer = new AggregatorStateSerializer(StateFixtures.fileSerializer());

    @Test
    void theFixtureIsOfTheCurrentVersion() {
        assertThat(FIXTURE).isEqualTo("aggregator-state-v" + serializer.getVersion() + ".bin");
    }

    @Test
    void restoresTheBytesOfTheCurrentVersion() throws IOException {
        byte[] fixture = StateFixtures.read(FIXTURE);

        AggregatorState state = SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, fixture);

        assertThat(StateFixtures.describe(state.awaitingLoad()))
                .containsExactly(
                        "app.events/v1 pending " + FILES + "/app.events/v1/part-0-7.avro 2048",
                        "app.events/v1 clean-up " + FILES + "/app.events/v1/part-0-8.avro");
        assertThat(state.syncHolds().held())
                .containsExactly(Map.entry(ITEMS, Kind.RESYNC), Map.entry(NEW_ITEMS, Kind.NEW_TABLE));
        assertThat(StateFixtures.describe(state.syncHolds().heldFiles()))
                .containsExactly("shop.items/v1 pending " + FILES + "/shop.items/v1/part-0-3.avro 512");
        assertThat(state.syncHolds().released()).containsExactly(ORDERS, ODD);
        assertThat(state.tombstones().incomplete()).containsExactly(EVENTS, ODD);
        assertThat(state.tombstones().completing()).containsExactly(ORDERS);
        assertThat(SimpleVersionedSerialization.writeVersionAndSerialize(serializer, state))
                .as("the restored state written again")
                .isEqualTo(fixture);
    }

    @Test
    void restoresVersion1AsAStateWithoutTombstones() throws IOException {
        AggregatorState state =
                SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, StateFixtures.read(FIXTURE_V1));

        assertThat(StateFixtures.describe(state.awaitingLoad())).hasSize(2);
        assertThat(state.syncHolds().released()).containsExactly(ORDERS, ODD);
        assertThat(state.tombstones()).isEqualTo(SnapshotTombstonesState.NONE);
    }

    @Test
    void refusesAnotherVersion() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));

        assertThatThrownBy(() -> serializer.deserialize(3, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read pre-commit step state version 3: this build reads versions 1 to 2"
                        + " (was the checkpoint or savepoint taken by another elt-cdc build?)");
    }

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        // The bytes of another state: a staged batch.
        byte[] batch = StateFixtures.payload(StateFixtures.read("staged-batch-v3.bin"));

        assertThatThrownBy(() -> serializer.deserialize(1, batch))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read pre-commit step state: magic number 0x454c5442, expected 0x454c5441"
                        + " (the bytes are not pre-commit step state)");
    }

    @Test
    void anEmptyStateRoundTrips() throws IOException {
        AggregatorState empty = new AggregatorState(List.of(), SyncHoldsState.EMPTY, SnapshotTombstonesState.NONE);

        AggregatorState restored = serializer.deserialize(2, serializer.serialize(empty));

        assertThat(restored.awaitingLoad()).isEmpty();
        assertThat(restored.syncHolds()).isEqualTo(SyncHoldsState.EMPTY);
    }

    /** Writes {@value #FIXTURE} once (see {@link StateFixtures}); not a test, and never run by one. */
    public static void main(String[] args) throws IOException {
        StateFixtures.writeOnce(args, FIXTURE, () -> {
            Map<TableId, Kind> held = new LinkedHashMap<>();
            held.put(ITEMS, Kind.RESYNC);
            held.put(NEW_ITEMS, Kind.NEW_TABLE);
            AggregatorState state = new AggregatorState(
                    List.of(
                            StateFixtures.pendingFile(EVENTS, "part-0-7.avro", 2048),
                            StateFixtures.inProgressFile(EVENTS, "part-0-8.avro")),
                    new SyncHoldsState(
                            held,
                            List.of(StateFixtures.pendingFile(ITEMS, "part-0-3.avro", 512)),
                            List.of(ORDERS, ODD)),
                    new SnapshotTombstonesState(List.of(EVENTS, ODD), List.of(ORDERS)));
            AggregatorStateSerializer serializer = new AggregatorStateSerializer(StateFixtures.fileSerializer());
            return SimpleVersionedSerialization.writeVersionAndSerialize(serializer, state);
        });
    }
}
