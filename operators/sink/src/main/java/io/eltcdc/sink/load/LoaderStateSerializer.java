package io.eltcdc.sink.load;

import io.eltcdc.model.serde.StateFormats;
import io.eltcdc.sink.commit.StagedBatch;
import io.eltcdc.sink.commit.StagedBatchSerializer;
import io.eltcdc.sink.commit.StateFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of the loader's {@link LoaderState}.
 *
 * <p>Version 1: magic number 0x454C544C ("ELTL"); the pending batches, each with the batch
 * serializer's own version (so a new batch format stays readable); the deletions, each its load
 * time and its paths.
 */
final class LoaderStateSerializer implements SimpleVersionedSerializer<LoaderState> {
    static final int VERSION = 1;
    static final int MAGIC = 0x454C544C; // "ELTL"
    private static final String STATE = "loader state";

    private final StagedBatchSerializer batchSerializer;

    LoaderStateSerializer(StagedBatchSerializer batchSerializer) {
        this.batchSerializer = batchSerializer;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LoaderState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        out.writeInt(state.pending().size());
        for (StagedBatch batch : state.pending()) {
            SimpleVersionedSerialization.writeVersionAndSerialize(batchSerializer, batch, out);
        }
        out.writeInt(state.deletions().size());
        for (StagedFileDeletion deletion : state.deletions()) {
            out.writeLong(deletion.loadedAtMillis());
            out.writeInt(deletion.paths().size());
            for (String path : deletion.paths()) {
                out.writeUTF(path);
            }
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public LoaderState deserialize(int version, byte[] serialized) throws IOException {
        StateFormat.checkVersion(version, VERSION, STATE);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        StateFormats.checkMagic(in, MAGIC, STATE);
        int n = in.readInt();
        List<StagedBatch> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(SimpleVersionedSerialization.readVersionAndDeSerialize(batchSerializer, in));
        }
        int d = in.readInt();
        List<StagedFileDeletion> deletions = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            long loadedAt = in.readLong();
            int p = in.readInt();
            List<String> paths = new ArrayList<>(p);
            for (int j = 0; j < p; j++) {
                paths.add(in.readUTF());
            }
            deletions.add(new StagedFileDeletion(loadedAt, paths));
        }
        StateFormats.checkFullyRead(in, STATE);
        return new LoaderState(pending, deletions);
    }
}
