package io.eltcdc.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.testing.BinaryFixtures;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The table sync enumerator's checkpoint restores: {@link TableSyncStateSerializer} reads the
 * fixture of every version it reads and writes the current version's bytes unchanged. The values
 * are {@link SnapshotStateSamples#tableSyncState()}.
 */
class TableSyncStateSerializerCompatibilityTest {
    private static final TableSyncStateSerializer SERIALIZER = TableSyncStateSerializer.INSTANCE;
    /** The version the newest fixture is of: a new version needs a fixture of its own (see {@link #main}). */
    private static final int CURRENT = 2;

    private static final String FIXTURE = "table-sync-state-v" + CURRENT + ".bin";

    @Test
    void theNewestFixtureIsOfTheCurrentVersion() {
        assertThat(SERIALIZER.getVersion())
                .as("a new version of the table sync state format needs a fixture of its own (run main)")
                .isEqualTo(CURRENT);
    }

    @Test
    void restoresTheStateOfEveryVersion() throws IOException {
        for (int version = 1; version <= CURRENT; version++) {
            TableSyncState state = BinaryFixtures.restore(
                    SERIALIZER, BinaryFixtures.read(getClass(), "table-sync-state-v" + version + ".bin"));

            assertThat(state.known())
                    .containsExactly(new TableId("shop", "items"), new TableId("Odd Schema", "a.b/c ü"));
            assertThat(state.activeTable()).isEqualTo(new TableId("shop", "returns"));
            assertThat(state.activeKind()).isEqualTo(Kind.NEW_TABLE);
        }
    }

    @Test
    void writesTheCurrentVersionsBytesUnchanged() throws IOException {
        byte[] fixture = BinaryFixtures.read(getClass(), FIXTURE);

        assertThat(written()).as("written now").isEqualTo(fixture);
        assertThat(BinaryFixtures.versioned(SERIALIZER, BinaryFixtures.restore(SERIALIZER, fixture)))
                .as("restored and written again")
                .isEqualTo(fixture);
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));

        assertThatThrownBy(() -> SERIALIZER.deserialize(3, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read table sync state version 3: this build reads versions 1 to 2 (was the"
                        + " checkpoint or savepoint taken by another elt-cdc build?)");
    }

    @Test
    void refusesAWrongMagicNumber() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));
        payload[0] ^= 0x7f;

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read table sync state: magic number 0x3a4c5454, expected 0x454c5454 (the bytes"
                        + " are not table sync state)");
        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, new byte[2]))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read table sync state: the bytes end before its magic number 0x454c5454");
    }

    @Test
    void refusesBytesLeftOver() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 2);

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, longer))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read table sync state: 2 bytes left over");
    }

    private static byte[] written() throws IOException {
        return BinaryFixtures.versioned(SERIALIZER, SnapshotStateSamples.tableSyncState());
    }

    /** Writes the current version's fixture if it does not exist yet (see {@link BinaryFixtures}); no test runs it. */
    public static void main(String[] args) throws IOException {
        BinaryFixtures.writeOnce(args, TableSyncStateSerializerCompatibilityTest.class, Map.of(FIXTURE, written()));
    }
}
