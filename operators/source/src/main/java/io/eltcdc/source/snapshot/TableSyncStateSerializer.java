package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Checkpoint form of {@link TableSyncState}. Version 1: the known tables (count, then schema and
 * table of each), then whether a sync is under way and, if so, its kind, schema and table.
 */
public final class TableSyncStateSerializer implements SimpleVersionedSerializer<TableSyncState> {
    public static final TableSyncStateSerializer INSTANCE = new TableSyncStateSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(TableSyncState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(state.known().size());
        for (TableId table : state.known()) {
            out.writeUTF(table.schema());
            out.writeUTF(table.table());
        }
        out.writeBoolean(state.activeTable() != null);
        if (state.activeTable() != null) {
            out.writeUTF(state.activeKind().name());
            out.writeUTF(state.activeTable().schema());
            out.writeUTF(state.activeTable().table());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public TableSyncState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown table sync state version " + version + " (this build reads " + VERSION
                    + "); was the savepoint taken by a newer elt-cdc?");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        List<TableId> known = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            known.add(new TableId(in.readUTF(), in.readUTF()));
        }
        if (!in.readBoolean()) {
            return new TableSyncState(known, null, null);
        }
        Kind kind = Kind.valueOf(in.readUTF());
        return new TableSyncState(known, new TableId(in.readUTF(), in.readUTF()), kind);
    }
}
