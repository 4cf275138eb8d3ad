package io.eltcdc.model.serde;

import io.eltcdc.model.ChangeRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Reads (and writes) records of format 2, the format before records carried renamed columns: the
 * restore serializer of state written by an older job, which Flink migrates to
 * {@link ChangeRecordSerializer}'s format. Records of a schema with renames cannot be written in it.
 */
public final class ChangeRecordSerializerV2 extends TypeSerializerSingleton<ChangeRecord> {
    private static final long serialVersionUID = 1L;
    public static final ChangeRecordSerializerV2 INSTANCE = new ChangeRecordSerializerV2();

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
        if (!record.schema().renamedFrom().isEmpty()) {
            throw new IllegalArgumentException("record format 2 cannot hold renamed columns: " + record);
        }
        ChangeRecordSerializer.writeFormat2(record, out);
    }

    @Override
    public ChangeRecord deserialize(DataInputView in) throws IOException {
        return ChangeRecordSerializer.readFormat2(in);
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
        return new ChangeRecordSerializer.Snapshot(2);
    }
}
