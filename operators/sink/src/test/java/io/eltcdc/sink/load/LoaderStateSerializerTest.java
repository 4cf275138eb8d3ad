package io.eltcdc.sink.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableId;
import io.eltcdc.sink.StateFixtures;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.sink.commit.StagedBatchSerializer;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;

/**
 * {@link LoaderStateSerializer} reads the bytes its current version wrote (fixture {@value #FIXTURE},
 * written once by {@link #main}) and refuses other versions and other bytes.
 */
class LoaderStateSerializerTest {
    static final String FIXTURE = "loader-state-v1.bin";
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final String FILES = "file:" + StateFixtures.FILES_DIR;

    private final LoaderStateSerializer serializer =
            new LoaderStateSerializer(new StagedBatchSerializer(StateFixtures.fileSerializer()));

    @Test
    void theFixtureIsOfTheCurrentVersion() {
        assertThat(FIXTURE).isEqualTo("loader-state-v" + serializer.getVersion() + ".bin");
    }

    @Test
    void restoresTheBytesOfTheCurrentVersion() throws IOException {
        byte[] fixture = StateFixtures.read(FIXTURE);

        LoaderState state = SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, fixture);

        assertThat(state.pending()).hasSize(2);
        assertThat(state.pending().get(0).checkpointId()).isEqualTo(7);
        assertThat(StateFixtures.describe(state.pending().get(0).files()))
                .containsExactly("shop.items/v1 pending " + FILES + "/shop.items/v1/part-0-1.avro 1024");
        assertThat(state.pending().get(1).checkpointId()).isEqualTo(8);
        assertThat(state.pending().get(1).replacedTables()).containsExactly(ORDERS);
        assertThat(state.deletions())
                .containsExactly(new StagedFileDeletion(
                        1_780_000_000_000L,
                        List.of(
                                "file:/staging/shop.items/v1/part-0-0.avro",
                                "file:/staging/shop.orders/v1/part-1-0.avro")));
        // The batches inside are written in their own newest version (staged batch v4, the fixture has
        // v3): the state written again reads back the same.
        LoaderState again = SimpleVersionedSerialization.readVersionAndDeSerialize(
                serializer, SimpleVersionedSerialization.writeVersionAndSerialize(serializer, state));
        assertThat(again.pending()).hasSize(2);
        assertThat(StateFixtures.describe(again.pending().get(0).files()))
                .isEqualTo(StateFixtures.describe(state.pending().get(0).files()));
        assertThat(again.pending().get(1).replacedTables()).containsExactly(ORDERS);
        assertThat(again.deletions()).isEqualTo(state.deletions());
    }

    @Test
    void refusesAnotherVersion() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));

        assertThatThrownBy(() -> serializer.deserialize(2, payload))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read loader state version 2: this build reads version 1");
    }

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));
        payload[0] ^= 0x7f;

        assertThatThrownBy(() -> serializer.deserialize(1, payload))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected 0x454c544c (the bytes are not loader state)");
    }

    @Test
    void refusesBytesLeftOver() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));
        byte[] longer = Arrays.copyOf(payload, payload.length + 2);

        assertThatThrownBy(() -> serializer.deserialize(1, longer))
                .hasMessage("cannot read loader state: 2 bytes left over");
    }

    /** Writes {@value #FIXTURE} once (see {@link StateFixtures}); not a test, and never run by one. */
    public static void main(String[] args) throws IOException {
        StateFixtures.writeOnce(args, FIXTURE, () -> {
            LoaderState state = new LoaderState(
                    List.of(
                            new StagedBatch(
                                    7, List.of(StateFixtures.pendingFile(ITEMS, "part-0-1.avro", 1024)), List.of()),
                            new StagedBatch(8, List.of(), List.of(ORDERS))),
                    List.of(new StagedFileDeletion(
                            1_780_000_000_000L,
                            List.of(
                                    "file:/staging/shop.items/v1/part-0-0.avro",
                                    "file:/staging/shop.orders/v1/part-1-0.avro"))));
            LoaderStateSerializer serializer =
                    new LoaderStateSerializer(new StagedBatchSerializer(StateFixtures.fileSerializer()));
            return SimpleVersionedSerialization.writeVersionAndSerialize(serializer, state);
        });
    }
}
