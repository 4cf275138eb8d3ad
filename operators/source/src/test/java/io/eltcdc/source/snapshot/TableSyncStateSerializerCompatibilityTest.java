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
    private static final int CURRENT = 1;

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

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT + 1, payload))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version " + (CURRENT + 1));
    }

    private static byte[] written() throws IOException {
        return BinaryFixtures.versioned(SERIALIZER, SnapshotStateSamples.tableSyncState());
    }

    /** Writes the current version's fixture if it does not exist yet (see {@link BinaryFixtures}); no test runs it. */
    public static void main(String[] args) throws IOException {
        BinaryFixtures.writeOnce(args, TableSyncStateSerializerCompatibilityTest.class, Map.of(FIXTURE, written()));
    }
}
