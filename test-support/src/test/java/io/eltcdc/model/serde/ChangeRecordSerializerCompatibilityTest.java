package io.eltcdc.model.serde;

import static io.eltcdc.model.serde.ChangeRecordSamples.assertSameRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.testing.BinaryFixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Change records in state restore, as Flink restores them (the way its
 * {@code TypeSerializerUpgradeTestBase} checks it): the serializer's snapshot, written with its
 * class name and version, is read back; the serializer it restores reads the records written in
 * its record format; the current serializer takes over, as is or after migration. Fixtures (all
 * written once by {@link #main}; the records are {@link ChangeRecordSamples}'):
 *
 * <ul>
 *   <li>{@code change-record-snapshot-v<N>.bin}: the current serializer's snapshot, snapshot
 *       version N (record format 3; version 4 was written by the build before version 5);
 *   <li>{@code change-record-snapshot-v4-format-2.bin}: the snapshot builds with record format 2
 *       wrote (that of {@link ChangeRecordSerializerV2});
 *   <li>{@code change-records-format-<F>.bin}: records of format F back to back, as in a state
 *       or network buffer, written by the serializer of that format.
 * </ul>
 *
 * <p>Format 1's snapshot (version 3, written by Flink's {@code SimpleTypeSerializerSnapshot}) is
 * read in {@code ChangeRecordSerializerTest}.
 */
class ChangeRecordSerializerCompatibilityTest {
    /** The snapshot version the newest snapshot fixture is of (see {@link #main}). */
    private static final int CURRENT = 5;

    private static final String SNAPSHOT = "change-record-snapshot-v" + CURRENT + ".bin";

    @Test
    void theNewestSnapshotFixtureIsOfTheCurrentVersion() {
        assertThat(ChangeRecordSerializer.INSTANCE.snapshotConfiguration().getCurrentVersion())
                .as("a new snapshot version needs a fixture of its own (run main)")
                .isEqualTo(CURRENT);
        assertThat(ChangeRecordSerializer.FORMAT)
                .as("a new record format needs a fixture of its own (run main)")
                .isEqualTo(3);
    }

    @Test
    void snapshotsOfFormat3RestoreTheCurrentSerializerAsIs() throws IOException {
        for (int version = 4; version <= CURRENT; version++) {
            TypeSerializerSnapshot<ChangeRecord> restored =
                    restoreSnapshot("change-record-snapshot-v" + version + ".bin");

            assertThat(((ChangeRecordSerializer.Snapshot) restored).recordFormat())
                    .isEqualTo(3);
            assertThat(restored.restoreSerializer()).isSameAs(ChangeRecordSerializer.INSTANCE);
            assertThat(resolve(restored).isCompatibleAsIs())
                    .as("snapshot version %d", version)
                    .isTrue();
            assertThat(snapshotBytes(restored))
                    .as("snapshot version %d written again, in the current version", version)
                    .isEqualTo(BinaryFixtures.read(getClass(), SNAPSHOT));
        }
    }

    @Test
    void theSnapshotOfFormat2RestoresItsSerializerAndMigrates() throws IOException {
        TypeSerializerSnapshot<ChangeRecord> restored = restoreSnapshot("change-record-snapshot-v4-format-2.bin");

        assertThat(((ChangeRecordSerializer.Snapshot) restored).recordFormat()).isEqualTo(2);
        assertThat(restored.restoreSerializer()).isSameAs(ChangeRecordSerializerV2.INSTANCE);
        assertThat(resolve(restored).isCompatibleAfterMigration()).isTrue();
    }

    @Test
    void readsTheRecordsOfEveryFormatWithItsSerializer() throws IOException {
        for (int format = 1; format <= ChangeRecordSerializer.FORMAT; format++) {
            TypeSerializer<ChangeRecord> reader = new ChangeRecordSerializer.Snapshot(format).restoreSerializer();
            byte[] fixture = BinaryFixtures.read(getClass(), "change-records-format-" + format + ".bin");
            List<ChangeRecord> expected = ChangeRecordSamples.ofFormat(format);

            List<ChangeRecord> records = readRecords(reader, fixture, expected.size());

            assertSameRecords(records, expected);
            assertThat(writeRecords(reader, records))
                    .as("format %d written again", format)
                    .isEqualTo(fixture);
        }
    }

    @Test
    void writesTheCurrentBytesUnchanged() throws IOException {
        for (Map.Entry<String, byte[]> written : fixtures().entrySet()) {
            assertThat(written.getValue())
                    .as("%s written now", written.getKey())
                    .isEqualTo(BinaryFixtures.read(getClass(), written.getKey()));
        }
    }

    @Test
    void refusesAnUnknownSnapshotVersion() throws IOException {
        byte[] bytes = BinaryFixtures.read(getClass(), SNAPSHOT);
        setInt(bytes, versionOffset(bytes), 6);

        assertThatThrownBy(() -> readSnapshot(bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read ChangeRecordSerializer snapshot version 6: this build reads versions 2 to 5"
                        + " (was the checkpoint or savepoint taken by another elt-cdc build?)");
    }

    @Test
    void refusesAWrongMagicNumber() throws IOException {
        byte[] bytes = BinaryFixtures.read(getClass(), SNAPSHOT);
        bytes[versionOffset(bytes) + Integer.BYTES] ^= 0x7f;

        assertThatThrownBy(() -> readSnapshot(bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read ChangeRecordSerializer snapshot: magic number 0x3a4c5452, expected"
                        + " 0x454c5452 (the bytes are not ChangeRecordSerializer snapshot)");
    }

    @Test
    void refusesAnUnknownRecordFormat() throws IOException {
        byte[] bytes = BinaryFixtures.read(getClass(), SNAPSHOT);
        setInt(bytes, versionOffset(bytes) + 2 * Integer.BYTES, 4);

        assertThatThrownBy(() -> readSnapshot(bytes))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read ChangeRecordSerializer snapshot: record format 4, this build reads record"
                        + " formats 1 to 3 (was the checkpoint or savepoint taken by another elt-cdc build?)");
    }

    /** Where the snapshot's version is: after its class name (Java's modified UTF-8: length, bytes). */
    private static int versionOffset(byte[] snapshot) {
        return 2 + (((snapshot[0] & 0xff) << 8) | (snapshot[1] & 0xff));
    }

    private static void setInt(byte[] bytes, int offset, int value) {
        java.nio.ByteBuffer.wrap(bytes).putInt(offset, value);
    }

    private TypeSerializerSnapshot<ChangeRecord> readSnapshot(byte[] bytes) throws IOException {
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(bytes), getClass().getClassLoader());
    }

    private TypeSerializerSnapshot<ChangeRecord> restoreSnapshot(String fixture) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(BinaryFixtures.read(getClass(), fixture));
        TypeSerializerSnapshot<ChangeRecord> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(in, getClass().getClassLoader());
        assertThat(in.available()).as("bytes of %s left over", fixture).isZero();
        return restored;
    }

    private static TypeSerializerSchemaCompatibility<ChangeRecord> resolve(TypeSerializerSnapshot<ChangeRecord> old) {
        return ChangeRecordSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old);
    }

    private static List<ChangeRecord> readRecords(TypeSerializer<ChangeRecord> reader, byte[] bytes, int count)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        List<ChangeRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(reader.deserialize(in));
        }
        assertThat(in.available()).as("bytes left over after %d records", count).isZero();
        return records;
    }

    private static byte[] writeRecords(TypeSerializer<ChangeRecord> writer, List<ChangeRecord> records)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        for (ChangeRecord record : records) {
            writer.serialize(record, out);
        }
        return out.getCopyOfBuffer();
    }

    private static byte[] snapshotBytes(TypeSerializerSnapshot<ChangeRecord> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return out.getCopyOfBuffer();
    }

    /** The fixtures this build writes: the current snapshot, and records of every format. */
    private static Map<String, byte[]> fixtures() throws IOException {
        Map<String, byte[]> fixtures = new LinkedHashMap<>();
        fixtures.put(SNAPSHOT, snapshotBytes(ChangeRecordSerializer.INSTANCE.snapshotConfiguration()));
        fixtures.put(
                "change-records-format-1.bin",
                writeRecords(ChangeRecordSerializerV1.INSTANCE, ChangeRecordSamples.format1()));
        fixtures.put(
                "change-records-format-2.bin",
                writeRecords(ChangeRecordSerializerV2.INSTANCE, ChangeRecordSamples.format2()));
        fixtures.put(
                "change-records-format-3.bin",
                writeRecords(ChangeRecordSerializer.INSTANCE, ChangeRecordSamples.format3()));
        return fixtures;
    }

    /**
     * Writes the fixtures that do not exist yet (see {@link BinaryFixtures}); no test runs it. The
     * snapshots of version 4 were written by the build before version 5.
     */
    public static void main(String[] args) throws IOException {
        BinaryFixtures.writeOnce(args, ChangeRecordSerializerCompatibilityTest.class, fixtures());
    }
}
