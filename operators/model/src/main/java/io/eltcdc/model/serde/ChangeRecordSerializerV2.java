package io.eltcdc.model.serde;

import io.eltcdc.model.ChangeRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Reads (and writes) records of format 2, the format before records carried renamed columns: the
 * restore serializer of state written by an older job, which Flink migrates to
 * {@link ChangeRecordSerializer}'s format. Records of a schema with renames cannot be written in it.
 */
public final class ChangeRecordSerializerV2 extends ImmutableRecordSerializer {
    private static final long serialVersionUID = 1L;
    public static final ChangeRecordSerializerV2 INSTANCE = new ChangeRecordSerializerV2();

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
    public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
        return new ChangeRecordSerializer.Snapshot(2);
    }
}
