package io.eltcdc.sink.aggregate;

import io.eltcdc.model.TableId;
import io.eltcdc.model.serde.StateFormats;
import io.eltcdc.model.sync.TableSyncControl.Kind;
import io.eltcdc.sink.commit.StateFormat;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of the pre-commit step's {@link AggregatorState}.
 *
 * <p>Version 1: magic number 0x454C5441 ("ELTA"); the files awaiting the load interval; the held
 * tables (kind by name, schema, table), the held files and the released tables of the sync holds.
 * Files are written with the FileSink's own serializer and its version.
 *
 * <p>Version 2: version 1, then the tables whose snapshot is incomplete and those completing
 * ({@link SnapshotTombstonesState}). Version 1 is read as a state without tombstones (builds that
 * wrote it read the change log only after the snapshot).
 */
final class AggregatorStateSerializer implements SimpleVersionedSerializer<AggregatorState> {
    static final int VERSION = 2;
    static final int MAGIC = 0x454C5441; // "ELTA"
    private static final String STATE = "pre-commit step state";

    private final SimpleVersionedSerializer<FileSinkCommittable> fileSerializer;

    AggregatorStateSerializer(SimpleVersionedSerializer<FileSinkCommittable> fileSerializer) {
        this.fileSerializer = fileSerializer;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(AggregatorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        StateFormat.writeFiles(fileSerializer, state.awaitingLoad(), out);
        SyncHoldsState holds = state.syncHolds();
        out.writeInt(holds.held().size());
        for (Map.Entry<TableId, Kind> held : holds.held().entrySet()) {
            out.writeUTF(held.getValue().name());
            StateFormat.writeTable(held.getKey(), out);
        }
        StateFormat.writeFiles(fileSerializer, holds.heldFiles(), out);
        StateFormat.writeTables(holds.released(), out);
        StateFormat.writeTables(state.tombstones().incomplete(), out);
        StateFormat.writeTables(state.tombstones().completing(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public AggregatorState deserialize(int version, byte[] serialized) throws IOException {
        StateFormat.checkVersion(version, 1, VERSION, STATE);
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        StateFormats.checkMagic(in, MAGIC, STATE);
        List<FileSinkCommittable> awaitingLoad = StateFormat.readFiles(fileSerializer, in);
        Map<TableId, Kind> held = new LinkedHashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            Kind kind = readKind(in.readUTF());
            held.put(StateFormat.readTable(in), kind);
        }
        List<FileSinkCommittable> heldFiles = StateFormat.readFiles(fileSerializer, in);
        List<TableId> released = StateFormat.readTables(in);
        SnapshotTombstonesState tombstones = version < 2
                ? SnapshotTombstonesState.NONE
                : new SnapshotTombstonesState(StateFormat.readTables(in), StateFormat.readTables(in));
        StateFormats.checkFullyRead(in, STATE);
        return new AggregatorState(awaitingLoad, new SyncHoldsState(held, heldFiles, released), tombstones);
    }

    private static Kind readKind(String name) throws IOException {
        try {
            return Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot read " + STATE + ": unknown table sync kind '" + name + "'", e);
        }
    }
}
