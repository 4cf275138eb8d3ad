package io.eltcdc.model.serde;

import io.eltcdc.model.ChangeRecord;
import io.eltcdc.model.Column;
import io.eltcdc.model.Op;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link ChangeRecord}s, so records never fall back to Kryo. Records are
 * immutable, so copies are the record itself; between chained operators (source, encoder, file
 * writer) nothing is serialized at all. Each record carries its table schema, which is fine for the
 * rare non-chained edge and keeps the format free of any registry.
 */
public final class ChangeRecordSerializer extends TypeSerializerSingleton<ChangeRecord> {
    private static final long serialVersionUID = 1L;
    public static final ChangeRecordSerializer INSTANCE = new ChangeRecordSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public ChangeRecord createInstance() {
        return null;
    }

    @Override
    public ChangeRecord copy(ChangeRecord from) {
        return from;
    }

    @Override
    public ChangeRecord copy(ChangeRecord from, ChangeRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ChangeRecord record, DataOutputView out) throws IOException {
        TableSchemaSerde.write(out, record.schema());
        out.writeByte(record.op().ordinal());
        out.writeLong(record.position().high());
        out.writeLong(record.position().low());
        List<Column> columns = record.schema().columns();
        for (int i = 0; i < columns.size(); i++) {
            TypedValues.write(out, columns.get(i).type(), record.value(i));
        }
    }

    @Override
    public ChangeRecord deserialize(DataInputView in) throws IOException {
        TableSchema schema = TableSchemaSerde.read(in);
        Op op = Op.ofOrdinal(in.readByte());
        Position position = new Position(in.readLong(), in.readLong());
        List<Column> columns = schema.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = TypedValues.read(in, columns.get(i).type());
        }
        return new ChangeRecord(schema, op, position, values);
    }

    @Override
    public ChangeRecord deserialize(ChangeRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the record format. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
