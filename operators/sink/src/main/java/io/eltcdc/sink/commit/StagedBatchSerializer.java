package io.eltcdc.sink.commit;

import io.eltcdc.model.TableId;
import io.eltcdc.model.serde.StateFormats;
import java.io.IOException;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of {@link StagedBatch}es, in the committer's state and between the
 * pre-commit step and the committer.
 *
 * <p>Version 3: magic number 0x454C5442 ("ELTB"), the checkpoint id, the files (each written with the
 * FileSink's own serializer and its version, so a change on the FileSink's side stays readable),
 * the replaced tables. Versions 1 and 2 (no magic number) are not read: state of builds before the
 * sink's state formats were fixed does not restore.
 *
 * <p>Version 4: version 3, then the tables keeping and purging tombstones. Version 3 is read as a
 * batch without tombstones. Public for {@code StagingLoadSink} only.
 */
@Internal
public final class StagedBatchSerializer implements SimpleVersionedSerializer<StagedBatch> {
    static final int VERSION = 4;
    static final int OLDEST_VERSION = 3;
    static final int MAGIC = 0x454C5442; // "ELTB"
    private static final String STATE = "staged batch";

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
        out.writeInt(MAGIC);
        out.writeLong(batch.checkpointId());
        StateFormat.writeFiles(fileSerializer, batch.files(), out);
        StateFormat.writeTables(batch.replacedTables(), out);
        StateFormat.writeTables(batch.keepingTombstones(), out);
        StateFormat.writeTables(batch.purgingTombstones(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public StagedBatch deserialize(int version, byte[] serialized) throws IOException {
        StateFormat.checkVersion(version, OLDEST_VERSION, VERSION, STATE);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        StateFormats.checkMagic(in, MAGIC, STATE);
        long checkpointId = in.readLong();
        List<FileSinkCommittable> files = StateFormat.readFiles(fileSerializer, in);
        List<TableId> replaced = StateFormat.readTables(in);
        List<TableId> keeping = version < 4 ? List.of() : StateFormat.readTables(in);
        List<TableId> purging = version < 4 ? List.of() : StateFormat.readTables(in);
        StateFormats.checkFullyRead(in, STATE);
        return new StagedBatch(checkpointId, files, replaced, keeping, purging);
    }
}
