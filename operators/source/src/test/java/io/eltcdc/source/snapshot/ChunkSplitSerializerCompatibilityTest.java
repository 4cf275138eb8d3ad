package io.eltcdc.source.snapshot;

import static io.eltcdc.source.snapshot.SnapshotStateSamples.ROWS_POSITION;
import static io.eltcdc.source.snapshot.SnapshotStateSamples.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.Position;
import io.eltcdc.testing.BinaryFixtures;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Splits in readers' checkpoints restore: {@link ChunkSplitSerializer} reads the fixtures of every
 * version it reads and writes the current version's bytes unchanged. The values are
 * {@link SnapshotStateSamples}'. The version 1 fixtures were written by version 1's serializer as
 * of commit caaaf63 (compiled from it); this code cannot write them again.
 */
class ChunkSplitSerializerCompatibilityTest {
    private static final ChunkSplitSerializer SERIALIZER = ChunkSplitSerializer.INSTANCE;
    /** The version the newest fixtures are of: a new version needs fixtures of its own (see {@link #main}). */
    private static final int CURRENT = 3;

    @Test
    void theNewestFixturesAreOfTheCurrentVersion() {
        assertThat(SERIALIZER.getVersion())
                .as("a new version of the split format needs fixtures of its own (run main)")
                .isEqualTo(CURRENT);
    }

    @Test
    void restoresASplitByKeyOfEveryVersion() throws IOException {
        for (int version = 1; version <= CURRENT; version++) {
            ChunkSplit split = restore("chunk-split-by-key-v" + version + ".bin");

            assertThat(split.splitId()).isEqualTo("hidden.Odd Table:7");
            assertThat(split.schema()).isEqualTo(SnapshotStateSamples.ORDERS);
            assertThat(split.chunkIndex()).isEqualTo(7);
            assertThat(split.readOrder()).isEqualTo(ChunkSplit.ReadOrder.KEY);
            assertThat(split.partitioned()).isTrue();
            assertThat(split.lowerBound()).isEqualTo(key(1, "a"));
            assertThat(split.upperBound()).isEqualTo(key(2, "b \"quoted\" ünï"));
            assertThat(split.lastKey()).isEqualTo(key(1, "am"));
            assertThat(split.lastRowLocation()).isNull();
            assertThat(split.position())
                    .as("version %d", version)
                    .isEqualTo(version == 1 ? Position.SNAPSHOT : ROWS_POSITION);
        }
    }

    @Test
    void restoresASplitByRowLocationOfEveryVersion() throws IOException {
        for (int version = 1; version <= CURRENT; version++) {
            ChunkSplit split = restore("chunk-split-by-row-location-v" + version + ".bin");

            assertThat(split.splitId()).isEqualTo("public.log:0");
            assertThat(split.schema()).isEqualTo(SnapshotStateSamples.LOG);
            assertThat(split.readOrder()).isEqualTo(ChunkSplit.ReadOrder.ROW_LOCATION);
            assertThat(split.partitioned()).isFalse();
            assertThat(split.lowerBound()).isNull();
            assertThat(split.upperBound()).isNull();
            assertThat(split.lastKey()).isNull();
            assertThat(split.lastRowLocation()).isEqualTo("(12,3)");
            assertThat(split.position()).isEqualTo(version == 1 ? Position.SNAPSHOT : ROWS_POSITION);
        }
    }

    @Test
    void writesTheCurrentVersionsBytesUnchanged() throws IOException {
        for (Map.Entry<String, byte[]> written : fixtures().entrySet()) {
            byte[] fixture = BinaryFixtures.read(getClass(), written.getKey());
            assertThat(written.getValue())
                    .as("%s written now", written.getKey())
                    .isEqualTo(fixture);
            assertThat(BinaryFixtures.versioned(SERIALIZER, BinaryFixtures.restore(SERIALIZER, fixture)))
                    .as("%s restored and written again", written.getKey())
                    .isEqualTo(fixture);
        }
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] payload = currentPayload();

        assertThatThrownBy(() -> SERIALIZER.deserialize(4, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot chunk split version 4: this build reads versions 1 to 3 (was the"
                        + " checkpoint or savepoint taken by another elt-cdc build?)");
    }

    @Test
    void refusesAWrongMagicNumber() {
        byte[] payload = currentPayload();
        payload[0] ^= 0x7f;

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, payload))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot chunk split: magic number 0x3a4c5453, expected 0x454c5453 (the"
                        + " bytes are not snapshot chunk split)");
    }

    @Test
    void refusesTheBytesOfOtherStateAndOfAnEarlierVersion() {
        byte[] tableSync = BinaryFixtures.payload(BinaryFixtures.read(getClass(), "table-sync-state-v2.bin"));
        byte[] version2 = BinaryFixtures.payload(BinaryFixtures.read(getClass(), "chunk-split-by-key-v2.bin"));

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, tableSync))
                .hasMessage("cannot read snapshot chunk split: magic number 0x454c5454, expected 0x454c5453 (the"
                        + " bytes are not snapshot chunk split)");
        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, version2))
                .hasMessageStartingWith("cannot read snapshot chunk split: magic number");
    }

    @Test
    void refusesBytesLeftOver() {
        byte[] longer = java.util.Arrays.copyOf(currentPayload(), currentPayload().length + 3);

        assertThatThrownBy(() -> SERIALIZER.deserialize(CURRENT, longer))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read snapshot chunk split: 3 bytes left over");
    }

    private byte[] currentPayload() {
        return BinaryFixtures.payload(BinaryFixtures.read(getClass(), "chunk-split-by-key-v" + CURRENT + ".bin"));
    }

    private ChunkSplit restore(String fixture) throws IOException {
        return BinaryFixtures.restore(SERIALIZER, BinaryFixtures.read(getClass(), fixture));
    }

    private static Map<String, byte[]> fixtures() throws IOException {
        Map<String, byte[]> fixtures = new LinkedHashMap<>();
        fixtures.put(
                "chunk-split-by-key-v" + CURRENT + ".bin",
                BinaryFixtures.versioned(SERIALIZER, SnapshotStateSamples.splitByKey(ROWS_POSITION)));
        fixtures.put(
                "chunk-split-by-row-location-v" + CURRENT + ".bin",
                BinaryFixtures.versioned(SERIALIZER, SnapshotStateSamples.splitByRowLocation(ROWS_POSITION)));
        return fixtures;
    }

    /** Writes the current version's fixtures that do not exist yet (see {@link BinaryFixtures}); no test runs it. */
    public static void main(String[] args) throws IOException {
        BinaryFixtures.writeOnce(args, ChunkSplitSerializerCompatibilityTest.class, fixtures());
    }
}
