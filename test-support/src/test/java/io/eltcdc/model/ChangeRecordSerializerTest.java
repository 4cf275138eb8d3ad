package io.eltcdc.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eltcdc.model.serde.ChangeRecordSerializer;
import io.eltcdc.model.serde.ChangeRecordSerializerV1;
import io.eltcdc.model.serde.ChangeRecordSerializerV2;
import io.eltcdc.model.serde.TableSchemaSerde;
import io.eltcdc.model.serde.TypedValues;
import io.eltcdc.testing.SampleRecords;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ChangeRecordSerializerTest {
    private static final ChangeRecordSerializer SERIALIZER = ChangeRecordSerializer.INSTANCE;

    @Test
    void recordsRoundTripWithEveryType() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        for (Object[] row : SampleRecords.allTypesRows()) {
            ChangeRecord record = new ChangeRecord(table, Op.UPDATE, new Position(7, -3), row);
            ChangeRecord back = roundTrip(SERIALIZER, record);
            assertThat(back.schema()).isEqualTo(table);
            assertThat(back.op()).isEqualTo(Op.UPDATE);
            assertThat(back.position()).isEqualTo(record.position());
            assertThat(back.values()).isEqualTo(row);
            assertThat(back.unchangedColumns()).isEmpty();
        }
    }

    @Test
    void unchangedColumnsRoundTrip() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        Object[] row = SampleRecords.allTypesRows().get(0).clone();
        int[] unchanged = {7, 13, 14}; // text, JSON and bytes: the kinds of value PostgreSQL TOASTs
        for (int column : unchanged) {
            row[column] = null;
        }
        ChangeRecord record = new ChangeRecord(table, Op.UPDATE, new Position(1, 2), row, unchanged);

        ChangeRecord back = roundTrip(SERIALIZER, record);

        assertThat(back.unchangedColumns()).containsExactly(7, 13, 14);
        assertThat(back.values()).isEqualTo(row);
        assertThat(back.op()).isEqualTo(Op.UPDATE);
        assertThat(back.position()).isEqualTo(new Position(1, 2));
        // Several records in one stream: each reads exactly its own bytes.
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(record, out);
        SERIALIZER.serialize(
                new ChangeRecord(
                        table,
                        Op.READ,
                        Position.SNAPSHOT,
                        SampleRecords.allTypesRows().get(2)),
                out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(SERIALIZER.deserialize(in).unchangedColumns()).containsExactly(7, 13, 14);
        ChangeRecord second = SERIALIZER.deserialize(in);
        assertThat(second.unchangedColumns()).isEmpty();
        assertThat(second.values()).isEqualTo(SampleRecords.allTypesRows().get(2));
        assertThat(in.available()).isZero();
    }

    @Test
    void renamedColumnsOfTheSchemaRoundTrip() throws Exception {
        TableSchema plain = SampleRecords.allTypesTable();
        TableSchema renamed = new TableSchema(
                plain.id(),
                plain.columns(),
                plain.keyColumns(),
                java.util.Map.of(plain.columns().get(1).name(), "former name"));
        ChangeRecord record = new ChangeRecord(
                renamed,
                Op.UPDATE,
                new Position(5, 1),
                SampleRecords.allTypesRows().get(0));

        ChangeRecord back = roundTrip(SERIALIZER, record);

        assertThat(back.schema()).isEqualTo(renamed);
        assertThat(back.schema().renamedFrom())
                .containsExactly(java.util.Map.entry(plain.columns().get(1).name(), "former name"));
        assertThat(back.values()).isEqualTo(record.values());
        assertThat(roundTrip(
                                SERIALIZER,
                                new ChangeRecord(
                                        plain,
                                        Op.READ,
                                        Position.SNAPSHOT,
                                        SampleRecords.allTypesRows().get(1)))
                        .schema()
                        .renamedFrom())
                .isEmpty();
    }

    @Test
    void recordsOfFormat2AreReadByItsSerializerAndMigrate() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        Object[] row = SampleRecords.allTypesRows().get(0).clone();
        row[7] = null;
        ChangeRecord record = new ChangeRecord(table, Op.UPDATE, new Position(1, 2), row, new int[] {7});
        DataOutputSerializer format2 = new DataOutputSerializer(64);
        ChangeRecordSerializerV2.INSTANCE.serialize(record, format2);
        DataOutputSerializer snapshot = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(
                snapshot, ChangeRecordSerializerV2.INSTANCE.snapshotConfiguration());

        TypeSerializerSnapshot<ChangeRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshot.getCopyOfBuffer()),
                getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isSameAs(ChangeRecordSerializerV2.INSTANCE);
        ChangeRecord back =
                restored.restoreSerializer().deserialize(new DataInputDeserializer(format2.getCopyOfBuffer()));
        assertThat(back.values()).isEqualTo(row);
        assertThat(back.unchangedColumns()).containsExactly(7);
        assertThat(SERIALIZER
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored)
                        .isCompatibleAfterMigration())
                .isTrue();
        // Format 2 is format 3 without the renames' count: the current serializer reads one more int.
        DataOutputSerializer format3 = new DataOutputSerializer(64);
        SERIALIZER.serialize(record, format3);
        assertThat(format3.length()).isEqualTo(format2.length() + Integer.BYTES);
    }

    @Test
    void recordsOfTheOldFormatAreReadByTheRestoredSnapshotsSerializer() throws Exception {
        TableSchema table = SampleRecords.allTypesTable();
        Object[] row = SampleRecords.allTypesRows().get(0);
        // Record format 1, as the serializer wrote it before records had unchanged columns.
        DataOutputSerializer old = new DataOutputSerializer(64);
        TableSchemaSerde.write(old, table);
        old.writeByte(Op.INSERT.ordinal());
        old.writeLong(3);
        old.writeLong(4);
        for (int i = 0; i < row.length; i++) {
            TypedValues.write(old, table.columns().get(i).type(), row[i]);
        }
        // Its snapshot, as SimpleTypeSerializerSnapshot wrote it: class name, version 3, no content.
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(64);
        snapshotBytes.writeUTF(ChangeRecordSerializer.Snapshot.class.getName());
        snapshotBytes.writeInt(3);

        TypeSerializerSnapshot<ChangeRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                getClass().getClassLoader());

        TypeSerializer<ChangeRecord> reader = restored.restoreSerializer();
        assertThat(reader).isInstanceOf(ChangeRecordSerializerV1.class);
        ChangeRecord back = reader.deserialize(new DataInputDeserializer(old.getCopyOfBuffer()));
        assertThat(back.schema()).isEqualTo(table);
        assertThat(back.op()).isEqualTo(Op.INSERT);
        assertThat(back.position()).isEqualTo(new Position(3, 4));
        assertThat(back.values()).isEqualTo(row);
        assertThat(back.unchangedColumns()).isEmpty();
        // The current serializer takes over after migration, and reads what it writes.
        TypeSerializerSchemaCompatibility<ChangeRecord> compatibility =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(roundTrip(SERIALIZER, back).values()).isEqualTo(row);
        // The old serializer writes format 1 exactly as before.
        DataOutputSerializer again = new DataOutputSerializer(64);
        ChangeRecordSerializerV1.INSTANCE.serialize(back, again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(old.getCopyOfBuffer());
    }

    @Test
    void snapshotOfTheCurrentFormatRoundTripsAndIsCompatibleAsIs() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<ChangeRecord> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(restored).isEqualTo(SERIALIZER.snapshotConfiguration());
        assertThat(((ChangeRecordSerializer.Snapshot) restored).recordFormat()).isEqualTo(3);
        assertThat(restored.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(SERIALIZER
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored)
                        .isCompatibleAsIs())
                .isTrue();
        // A snapshot of the old serializer, written by this version, still says format 1.
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(v1, ChangeRecordSerializerV1.INSTANCE.snapshotConfiguration());
        TypeSerializerSnapshot<ChangeRecord> v1Restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(v1.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(v1Restored.restoreSerializer()).isSameAs(ChangeRecordSerializerV1.INSTANCE);
        assertThat(SERIALIZER
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(v1Restored)
                        .isCompatibleAfterMigration())
                .isTrue();
    }

    @Test
    void theOldFormatCannotHoldUnchangedColumns() {
        TableSchema table = new TableSchema(
                new TableId("s", "t"),
                List.of(Column.of("id", ColumnType.INT64), Column.of("body", ColumnType.STRING)),
                List.of("id"));
        ChangeRecord record =
                new ChangeRecord(table, Op.UPDATE, new Position(0, 1), new Object[] {1L, null}, new int[] {1});
        assertThatThrownBy(() -> ChangeRecordSerializerV1.INSTANCE.serialize(record, new DataOutputSerializer(64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 1");
    }

    private static ChangeRecord roundTrip(TypeSerializer<ChangeRecord> serializer, ChangeRecord record)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ChangeRecord back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }
}
