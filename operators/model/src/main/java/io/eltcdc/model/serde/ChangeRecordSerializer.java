package io.eltcdc.model.serde;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link ChangeRecord}s, so records never fall back to Kryo. Records are
 * immutable, so copies are the record itself; between chained operators (source, encoder, file
 * writer) nothing is serialized at all. Each record carries its table schema, which is fine for the
 * rare non-chained edge and keeps the format free of any registry.
 *
 * <p>Record format 3: schema, operation, position, values, the unchanged columns (count and
 * indexes), then the schema's renamed columns (count and pairs of new and former name). Format 2
 * lacks the renames, format 1 (before unchanged columns existed) the unchanged columns too; state
 * written with them is read by {@link ChangeRecordSerializerV2} / {@link ChangeRecordSerializerV1}
 * and migrated (see {@link Snapshot}).
 */
public final class ChangeRecordSerializer extends ImmutableRecordSerializer {
    private static final long serialVersionUID = 1L;
    public static final ChangeRecordSerializer INSTANCE = new ChangeRecordSerializer();
    /** The record format this serializer writes. */
    static final int FORMAT = 3;

    @Override
    public void serialize(ChangeRecord record, DataOutputView out) throws IOException {
        writeFormat2(record, out);
        Map<String, String> renames = record.schema().renamedFrom();
        out.writeInt(renames.size());
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            out.writeUTF(rename.getKey());
            out.writeUTF(rename.getValue());
        }
    }

    @Override
    public ChangeRecord deserialize(DataInputView in) throws IOException {
        ChangeRecord record = readFormat2(in);
        int n = in.readInt();
        if (n == 0) {
            return record;
        }
        Map<String, String> renames = new HashMap<>();
        for (int i = 0; i < n; i++) {
            renames.put(in.readUTF(), in.readUTF());
        }
        TableSchema s = record.schema();
        TableSchema schema = new TableSchema(s.id(), s.columns(), s.keyColumns(), renames);
        return new ChangeRecord(schema, record.op(), record.position(), record.values(), record.unchangedColumns());
    }

    /** Everything but the renames: the whole of record format 2. */
    static void writeFormat2(ChangeRecord record, DataOutputView out) throws IOException {
        writeFormat1(record, out);
        int[] unchanged = record.unchangedColumns();
        out.writeInt(unchanged.length);
        for (int column : unchanged) {
            out.writeInt(column);
        }
    }

    /** Reads a record of format 2. */
    static ChangeRecord readFormat2(DataInputView in) throws IOException {
        TableSchema schema = TableSchemaSerde.read(in);
        Op op = Op.ofOrdinal(in.readByte());
        Position position = new Position(in.readLong(), in.readLong());
        Object[] values = readValues(in, schema);
        int n = in.readInt();
        if (n == 0) {
            return new ChangeRecord(schema, op, position, values);
        }
        int[] unchanged = new int[n];
        for (int i = 0; i < n; i++) {
            unchanged[i] = in.readInt();
        }
        return new ChangeRecord(schema, op, position, values, unchanged);
    }

    /** Everything but the unchanged columns: the whole of record format 1. */
    static void writeFormat1(ChangeRecord record, DataOutputView out) throws IOException {
        TableSchemaSerde.write(out, record.schema());
        out.writeByte(record.op().ordinal());
        out.writeLong(record.position().high());
        out.writeLong(record.position().low());
        List<Column> columns = record.schema().columns();
        for (int i = 0; i < columns.size(); i++) {
            TypedValues.write(out, columns.get(i).type(), record.value(i));
        }
    }

    /** Reads a record of format 1. */
    static ChangeRecord readFormat1(DataInputView in) throws IOException {
        TableSchema schema = TableSchemaSerde.read(in);
        Op op = Op.ofOrdinal(in.readByte());
        Position position = new Position(in.readLong(), in.readLong());
        return new ChangeRecord(schema, op, position, readValues(in, schema));
    }

    private static Object[] readValues(DataInputView in, TableSchema schema) throws IOException {
        List<Column> columns = schema.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = TypedValues.read(in, columns.get(i).type());
        }
        return values;
    }

    @Override
    public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
        return new Snapshot(FORMAT);
    }

    /**
     * The serializer's snapshot, which names the record format. Snapshot version 3 is what this
     * class wrote as a {@code SimpleTypeSerializerSnapshot} (nothing but the version), when records
     * had format 1; version 4 writes the record format; version 5 the magic number 0x454C5452
     * ("ELTR") before it. Restoring state of an older format reads it with that format's serializer
     * and migrates it to the current format. The records themselves carry neither magic number nor
     * format: Flink keeps this snapshot with the state, and four bytes more per record would be
     * paid on every network channel. Fixtures: {@code ChangeRecordSerializerCompatibilityTest}.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<ChangeRecord> {
        private static final int VERSION = 5;
        static final int MAGIC = 0x454C5452; // "ELTR"
        private static final String STATE = "ChangeRecordSerializer snapshot";
        private int format;

        /** For reading a snapshot (Flink instantiates it by its class name). */
        public Snapshot() {
            this(FORMAT);
        }

        Snapshot(int format) {
            this.format = format;
        }

        /** The record format of the serializer this snapshot was taken of. */
        public int recordFormat() {
            return format;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(format);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            switch (readVersion) {
                case 2 -> { // SimpleTypeSerializerSnapshot's version 2 held the serializer's class name
                    in.readUTF();
                    format = 1;
                }
                case 3 -> format = 1;
                case 4 -> format = readFormat(in);
                case 5 -> {
                    StateFormats.checkMagic(in, MAGIC, STATE);
                    format = readFormat(in);
                }
                default -> throw StateFormats.unknownVersion(STATE, readVersion, 2, VERSION);
            }
        }

        private static int readFormat(DataInputView in) throws IOException {
            int format = in.readInt();
            if (format < 1 || format > FORMAT) {
                throw new IOException("cannot read " + STATE + ": record format " + format + ", this build reads"
                        + " record formats 1 to " + FORMAT + " (was the checkpoint or savepoint taken by another"
                        + " elt-cdc build?)");
            }
            return format;
        }

        @Override
        public TypeSerializer<ChangeRecord> restoreSerializer() {
            return switch (format) {
                case 1 -> ChangeRecordSerializerV1.INSTANCE;
                case 2 -> ChangeRecordSerializerV2.INSTANCE;
                default -> INSTANCE;
            };
        }

        /** Called on the new serializer's snapshot with the one restored from state. */
        @Override
        public TypeSerializerSchemaCompatibility<ChangeRecord> resolveSchemaCompatibility(
                TypeSerializerSnapshot<ChangeRecord> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old) || format != FORMAT) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return old.format == FORMAT
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.format == format;
        }

        @Override
        public int hashCode() {
            return format;
        }
    }
}
