package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import io.eltcdc.model.serde.StateFormats;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Checkpoint form of {@link TableSyncState}.
 *
 * <p>Version 1: the known tables (count, then schema and table of each), then whether a sync is
 * under way and, if so, its kind, schema and table.
 *
 * <p>Version 2: the magic number 0x454C5454 ("ELTT"), then version 1.
 *
 * <p>A new layout gets a new version, and a fixture in {@code TableSyncStateSerializerCompatibilityTest};
 * {@link #deserialize} keeps reading the old ones.
 */
public final class TableSyncStateSerializer implements SimpleVersionedSerializer<TableSyncState> {
    public static final TableSyncStateSerializer INSTANCE = new TableSyncStateSerializer();

    static final int MAGIC = 0x454C5454; // "ELTT"
    private static final String STATE = "table sync state";
    private static final int VERSION_1 = 1;
    private static final int VERSION_2 = 2;

    @Override
    public int getVersion() {
        return VERSION_2;
    }

    @Override
    public byte[] serialize(TableSyncState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
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
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        switch (version) {
            case VERSION_1 -> {}
            case VERSION_2 -> StateFormats.checkMagic(in, MAGIC, STATE);
            default -> throw StateFormats.unknownVersion(STATE, version, VERSION_1, VERSION_2);
        }
        TableSyncState state = readV1(in);
        StateFormats.checkFullyRead(in, STATE);
        return state;
    }

    private static TableSyncState readV1(DataInputDeserializer in) throws IOException {
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
