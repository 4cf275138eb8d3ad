package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.SnapshotStateSamples.INTS;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.LOG;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.LOG_START;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.ORDERS;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.ROWS_POSITION;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Position;
import io.eltcdc.source.planner.ChunkingPlan;
import io.eltcdc.source.planner.TableSplitting;
import io.eltcdc.testing.BinaryFixtures;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The snapshot enumerator's checkpoint restores: {@link SnapshotEnumeratorStateSerializer} reads
 * the fixture of every version it reads and writes the current version's bytes unchanged. The
 * values are {@link SnapshotStateSamples}'. The version 1 fixture was written by version 1's
 * serializer as of commit caaaf63 (compiled from it; its splits are of split version 1); this code
 * cannot write it again.
 */
class SnapshotEnumeratorStateSerializerCompatibilityTest {
    private static final SnapshotEnumeratorStateSerializer SERIALIZER = SnapshotEnumeratorStateSerializer.INSTANCE;
    /** The version the newest fixture is of: a new version needs a fixture of its own (see {@link #main}). */
    private static final int CURRENT = 3;

    private static final String FIXTURE = "snapshot-enumerator-state-v" + CURRENT + ".bin";

    @Test
    void theNewestFixtureIsOfTheCurrentVersion() {
        assertThat(SERIALIZER.getVersion())
                .as("a new version of the enumerator state format needs a fixture of its own (run main)")
                .isEqualTo(CURRENT);
    }

    @Test
    void restoresTheStateOfEveryVersion() throws IOException {
        for (int version = 1; version <= CURRENT; version++) {
            SnapshotEnumeratorState state = BinaryFixtures.restore(
                    SERIALIZER, BinaryFixtures.read(getClass(), "snapshot-enumerator-state-v" + version + ".bin"));
            Position splitsPosition = version == 1 ? Position.SNAPSHOT : ROWS_POSITION;

            assertThat(state.tablesDiscovered()).isTrue();
            assertThat(state.startPosition()).isEqualTo(new Position(0x2A000004D2L, 0));
            assertThat(state.logStart()).as("version %d", version).isEqualTo(version == 1 ? null : LOG_START);
            assertPendingTables(state.pendingTables());
            assertThat(state.unassignedSplits())
                    .containsExactly(
                            SnapshotStateSamples.splitByKey(splitsPosition),
                            SnapshotStateSamples.splitByRowLocation(splitsPosition));
            assertThat(state.unassignedSplits().get(0).lastKey()).isEqualTo(key(1, "am"));
            Map<io.eltcdc.model.TableId, TableProgress> progress = state.progress();
            assertThat(progress.keySet()).containsExactly(ORDERS.id(), INTS.id(), LOG.id());
            assertThat(progress.get(ORDERS.id())).isEqualTo(new TableProgress(12_345, 124, 8, false, 6));
            assertThat(progress.get(INTS.id())).isEqualTo(new TableProgress(5_000_000, 50, 3, false, 1));
            assertThat(progress.get(LOG.id())).isEqualTo(new TableProgress(-1, -1, 0, false, 0));
        }
    }

    private static void assertPendingTables(List<TableSplitting> pending) {
        assertThat(pending).hasSize(3);
        TableSplitting orders = pending.get(0);
        assertThat(orders.schema()).isEqualTo(ORDERS);
        assertThat(orders.plan())
                .isEqualTo(new ChunkingPlan(ChunkingPlan.Strategy.BOUNDARY, true, 12_345, true, 124, 0, 0, 0));
        assertThat(orders.nextChunkIndex()).isEqualTo(8);
        assertThat(orders.nextLower()).isEqualTo(key(2, "b \"quoted\" ünï"));
        assertThat(orders.done()).isFalse();
        TableSplitting ints = pending.get(1);
        assertThat(ints.schema()).isEqualTo(INTS);
        assertThat(ints.plan())
                .isEqualTo(new ChunkingPlan(
                        ChunkingPlan.Strategy.ARITHMETIC, false, 5_000_000, false, 50, -10, 4_999_990, 100_000));
        assertThat(ints.nextChunkIndex()).isEqualTo(3);
        assertThat(ints.nextLower()).containsExactly(299_989L);
        TableSplitting log = pending.get(2);
        assertThat(log.schema()).isEqualTo(LOG);
        assertThat(log.plan()).isNull();
        assertThat(log.nextChunkIndex()).isZero();
        assertThat(log.nextLower()).isNull();
        assertThat(log.done()).isFalse();
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

        assertThatThrownBy(() -> SERIALIZER.deserialize(4, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot enumerator state version 4: this build reads versions 1 to 3 (was"
                        + " the checkpoint or savepoint taken by another elt-cdc build?)");
    }

    @Test
    void refusesAWrongMagicNumber() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));
        payload[0] ^= 0x7f;

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot enumerator state: magic number 0x3a4c5445, expected 0x454c5445"
                        + " (the bytes are not snapshot enumerator state)");
    }

    @Test
    void refusesBytesLeftOver() {
        byte[] payload = BinaryFixtures.payload(BinaryFixtures.read(getClass(), FIXTURE));
        byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 1);

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, longer))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot enumerator state: 1 bytes left over");
    }

    private static byte[] written() throws IOException {
        return BinaryFixtures.versioned(SERIALIZER, SnapshotStateSamples.enumeratorState(ROWS_POSITION, LOG_START));
    }

    /** Writes the current version's fixture if it does not exist yet (see {@link BinaryFixtures}); no test runs it. */
    public static void main(String[] args) throws IOException {
        BinaryFixtures.writeOnce(
                args, SnapshotEnumeratorStateSerializerCompatibilityTest.class, Map.of(FIXTURE, written()));
    }
}
