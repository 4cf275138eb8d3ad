package io.eltcdc.sink;

import io.eltcdc.model.TableId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of {@link StagedBatch}es in the committer's state. Each file committable is
 * written with the FileSink's own serializer, together with that serializer's version, so a
 * change on the FileSink's side stays readable. Version 2 adds the replaced tables (version 1,
 * before re-syncs existed, has none).
 */
public final class StagedBatchSerializer implements SimpleVersionedSerializer<StagedBatch> {
    private static final int VERSION = 2;
    private final SimpleVersionedSerializer<FileSinkCommittable> fileSerializer;

    public StagedBatchSerializer(SimpleVersionedSerializer<FileSinkCommittable> fileSerializer) {
        this.fileSerializer = fileSerializer;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(StagedBatch batch) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeLong(batch.checkpointId());
        out.writeInt(batch.files().size());
        for (FileSinkCommittable file : batch.files()) {
            SimpleVersionedSerialization.writeVersionAndSerialize(fileSerializer, file, out);
        }
        out.writeInt(batch.replacedTables().size());
        for (TableId table : batch.replacedTables()) {
            out.writeUTF(table.schema());
            out.writeUTF(table.table());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public StagedBatch deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown staged batch format version " + version + " (this build reads " + VERSION
                    + "); was the savepoint taken by a newer elt-cdc?");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        long checkpointId = in.readLong();
        int n = in.readInt();
        List<FileSinkCommittable> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            files.add(SimpleVersionedSerialization.readVersionAndDeSerialize(fileSerializer, in));
        }
        List<TableId> replaced = new ArrayList<>();
        for (int i = version == 1 ? 0 : in.readInt(); i > 0; i--) {
            replaced.add(new TableId(in.readUTF(), in.readUTF()));
        }
        return new StagedBatch(checkpointId, files, replaced);
    }
}
