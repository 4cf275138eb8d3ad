package io.eltcdc.model.serde;

import io.eltcdc.model.ChangeRecord;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Reads (and writes) records of format 1, the format before records had unchanged columns: the
 * restore serializer of state written by an older job, which Flink migrates to
 * {@link ChangeRecordSerializer}'s format. Records with unchanged columns cannot be written in it.
 */
public final class ChangeRecordSerializerV1 extends ImmutableRecordSerializer {
    private static final long serialVersionUID = 1L;
    public static final ChangeRecordSerializerV1 INSTANCE = new ChangeRecordSerializerV1();

    @Override
    public void serialize(ChangeRecord record, DataOutputView out) throws IOException {
        if (record.hasUnchangedColumns()) {
            throw new IllegalArgumentException("record format 1 cannot hold unchanged columns: " + record);
        }
        ChangeRecordSerializer.writeFormat1(record, out);
    }

    @Override
    public ChangeRecord deserialize(DataInputView in) throws IOException {
        return ChangeRecordSerializer.readFormat1(in);
    }

    @Override
    public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
        return new ChangeRecordSerializer.Snapshot(1);
    }
}
