package io.eltcdc.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableId;
import io.eltcdc.sink.StateFixtures;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;

/**
 * {@link StagedBatchSerializer} reads the bytes its current version wrote (fixture {@value #FIXTURE},
 * written once by {@link #main}) and refuses other versions and other bytes.
 */
class StagedBatchSerializerTest {
    static final String FIXTURE = "staged-batch-v4.bin";
    static final String FIXTURE_V3 = "staged-batch-v3.bin";
    private static final TableId ITEMS = new TableId("shop", "items");
    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final String FILES = "file:" + StateFixtures.FILES_DIR;

    private final StagedBatchSerializer serializer = new StagedBatchSerializer(StateFixtures.fileSerializer());

    @Test
    void theFixtureIsOfTheCurrentVersion() {
        assertThat(FIXTURE).isEqualTo("staged-batch-v" + serializer.getVersion() + ".bin");
    }

    @Test
    void restoresTheBytesOfTheCurrentVersion() throws IOException {
        byte[] fixture = StateFixtures.read(FIXTURE);

        StagedBatch batch = SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, fixture);

        assertThat(batch.checkpointId()).isEqualTo(42);
        assertThat(StateFixtures.describe(batch.files()))
                .containsExactly(
                        "shop.items/v1 pending " + FILES + "/shop.items/v1/part-0-1.avro 1024",
                        "shop.orders/v1 pending " + FILES + "/shop.orders/v1/part-1-1.avro 300",
                        "shop.orders/v1 clean-up " + FILES + "/shop.orders/v1/part-1-2.avro");
        assertThat(batch.replacedTables()).containsExactly(ITEMS);
        assertThat(batch.keepingTombstones()).containsExactly(ORDERS, ITEMS);
        assertThat(batch.purgingTombstones()).containsExactly(ITEMS);
        assertThat(SimpleVersionedSerialization.writeVersionAndSerialize(serializer, batch))
                .as("the restored batch written again")
                .isEqualTo(fixture);
    }

    @Test
    void restoresVersion3AsABatchWithoutTombstones() throws IOException {
        StagedBatch batch =
                SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, StateFixtures.read(FIXTURE_V3));

        assertThat(batch.checkpointId()).isEqualTo(42);
        assertThat(batch.files()).hasSize(3);
        assertThat(batch.replacedTables()).containsExactly(ITEMS);
        assertThat(batch.keepingTombstones()).isEmpty();
        assertThat(batch.purgingTombstones()).isEmpty();
    }

    @Test
    void refusesAnotherVersion() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));

        assertThatThrownBy(() -> serializer.deserialize(2, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read staged batch version 2: this build reads versions 3 to 4 (was the"
                        + " checkpoint or savepoint taken by another elt-cdc build?)");
        assertThatThrownBy(() -> serializer.deserialize(5, payload))
                .hasMessageStartingWith("cannot read staged batch version 5: this build reads versions 3 to 4");
    }

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));
        payload[0] ^= 0x7f;

        assertThatThrownBy(() -> serializer.deserialize(4, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read staged batch: magic number 0x3a4c5442, expected 0x454c5442"
                        + " (the bytes are not staged batch)");
    }

    @Test
    void refusesBytesLeftOver() throws IOException {
        byte[] payload = StateFixtures.payload(StateFixtures.read(FIXTURE));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 3);

        assertThatThrownBy(() -> serializer.deserialize(4, longer))
                .hasMessage("cannot read staged batch: 3 bytes left over");
    }

    /** Writes {@value #FIXTURE} once (see {@link StateFixtures}); not a test, and never run by one. */
    public static void main(String[] args) throws IOException {
        StateFixtures.writeOnce(args, FIXTURE, () -> {
            StagedBatch batch = new StagedBatch(
                    42,
                    List.of(
                            StateFixtures.pendingFile(ITEMS, "part-0-1.avro", 1024),
                            StateFixtures.pendingFile(ORDERS, "part-1-1.avro", 300),
                            StateFixtures.inProgressFile(ORDERS, "part-1-2.avro")),
                    List.of(ITEMS),
                    List.of(ORDERS, ITEMS),
                    List.of(ITEMS));
            StagedBatchSerializer serializer = new StagedBatchSerializer(StateFixtures.fileSerializer());
            return SimpleVersionedSerialization.writeVersionAndSerialize(serializer, batch);
        });
    }
}
