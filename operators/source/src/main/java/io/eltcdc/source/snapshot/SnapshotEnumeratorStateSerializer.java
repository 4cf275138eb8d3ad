package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.StateFormats;
import io.eltcdc.model.serde.TableSchemaSerde;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.planner.ChunkingPlan;
import io.eltcdc.source.planner.TableSplitting;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Checkpoint form of {@link SnapshotEnumeratorState}.
 *
 * <p>Version 1: discovered flag; start position (high, low); tables still to split (schema, plan if
 * planned, next chunk index, next lower bound, done flag); unassigned splits, each in
 * {@link ChunkSplitSerializer}'s form under that serializer's own version; progress per table.
 *
 * <p>Version 2: version 1, then the log start (present flag; position high, low; binlog file as
 * optional text; binlog offset). Version 1 states read as having none.
 *
 * <p>Version 3: the magic number 0x454C5445 ("ELTE"), then version 2.
 *
 * <p>A new layout gets a new version, and a fixture in
 * {@code SnapshotEnumeratorStateSerializerCompatibilityTest}; {@link #deserialize} keeps reading the
 * old ones.
 */
public final class SnapshotEnumeratorStateSerializer implements SimpleVersionedSerializer<SnapshotEnumeratorState> {
    public static final SnapshotEnumeratorStateSerializer INSTANCE = new SnapshotEnumeratorStateSerializer();

    static final int MAGIC = 0x454C5445; // "ELTE"
    private static final String STATE = "snapshot enumerator state";
    private static final int VERSION_1 = 1;
    private static final int VERSION_2 = 2;
    private static final int VERSION_3 = 3;

    @Override
    public int getVersion() {
        return VERSION_3;
    }

    @Override
    public byte[] serialize(SnapshotEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(MAGIC);
        out.writeBoolean(state.tablesDiscovered());
        out.writeLong(state.startPosition().high());
        out.writeLong(state.startPosition().low());
        List<TableSplitting> pending = state.pendingTables();
        out.writeInt(pending.size());
        for (TableSplitting table : pending) {
            writeTable(out, table);
        }
        ChunkSplitSerializer splits = ChunkSplitSerializer.INSTANCE;
        out.writeInt(splits.getVersion());
        out.writeInt(state.unassignedSplits().size());
        for (ChunkSplit split : state.unassignedSplits()) {
            byte[] serialized = splits.serialize(split);
            out.writeInt(serialized.length);
            out.write(serialized);
        }
        Map<TableId, TableProgress> progress = state.progress();
        out.writeInt(progress.size());
        for (Map.Entry<TableId, TableProgress> e : progress.entrySet()) {
            writeProgress(out, e.getKey(), e.getValue());
        }
        writeLogStart(out, state.logStart());
        return out.getCopyOfBuffer();
    }

    @Override
    public SnapshotEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        SnapshotEnumeratorState state = switch (version) {
            case VERSION_1 -> readV1(in);
            case VERSION_2 -> withLogStart(readV1(in), readLogStart(in));
            case VERSION_3 -> {
                StateFormats.checkMagic(in, MAGIC, STATE);
                yield withLogStart(readV1(in), readLogStart(in));
            }
            default -> throw StateFormats.unknownVersion(STATE, version, VERSION_1, VERSION_3);
        };
        StateFormats.checkFullyRead(in, STATE);
        return state;
    }

    private static SnapshotEnumeratorState readV1(DataInput in) throws IOException {
        boolean discovered = in.readBoolean();
        Position start = new Position(in.readLong(), in.readLong());
        int pendingCount = in.readInt();
        List<TableSplitting> pending = new ArrayList<>(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(readTable(in));
        }
        int splitVersion = in.readInt();
        int splitCount = in.readInt();
        List<ChunkSplit> unassigned = new ArrayList<>(splitCount);
        for (int i = 0; i < splitCount; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            unassigned.add(ChunkSplitSerializer.INSTANCE.deserialize(splitVersion, bytes));
        }
        int progressCount = in.readInt();
        Map<TableId, TableProgress> progress = new LinkedHashMap<>();
        for (int i = 0; i < progressCount; i++) {
            TableId table = new TableId(in.readUTF(), in.readUTF());
            progress.put(
                    table,
                    new TableProgress(in.readLong(), in.readLong(), in.readLong(), in.readBoolean(), in.readLong()));
        }
        return new SnapshotEnumeratorState(discovered, start, pending, unassigned, progress);
    }

    private static SnapshotEnumeratorState withLogStart(SnapshotEnumeratorState s, LogStart logStart) {
        return new SnapshotEnumeratorState(
                s.tablesDiscovered(),
                s.startPosition(),
                s.pendingTables(),
                s.unassignedSplits(),
                s.progress(),
                logStart);
    }

    private static void writeLogStart(DataOutput out, LogStart logStart) throws IOException {
        out.writeBoolean(logStart != null);
        if (logStart != null) {
            out.writeLong(logStart.position().high());
            out.writeLong(logStart.position().low());
            KeyValuesSerde.writeOptionalString(out, logStart.binlogFile());
            out.writeLong(logStart.binlogOffset());
        }
    }

    private static LogStart readLogStart(DataInput in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        Position position = new Position(in.readLong(), in.readLong());
        return new LogStart(position, KeyValuesSerde.readOptionalString(in), in.readLong());
    }

    private static void writeTable(DataOutput out, TableSplitting table) throws IOException {
        TableSchemaSerde.write(out, table.schema());
        ChunkingPlan plan = table.plan();
        out.writeBoolean(plan != null);
        if (plan != null) {
            out.writeByte(plan.strategy().ordinal());
            out.writeBoolean(plan.partitioned());
            out.writeLong(plan.rowCount());
            out.writeBoolean(plan.exactCount());
            out.writeLong(plan.estimatedChunks());
            out.writeLong(plan.min());
            out.writeLong(plan.max());
            out.writeLong(plan.width());
        }
        out.writeInt(table.nextChunkIndex());
        KeyValuesSerde.write(out, table.schema(), table.nextLower());
        out.writeBoolean(table.done());
    }

    private static TableSplitting readTable(DataInput in) throws IOException {
        TableSchema schema = TableSchemaSerde.read(in);
        ChunkingPlan plan = null;
        if (in.readBoolean()) {
            plan = new ChunkingPlan(
                    ChunkingPlan.Strategy.values()[in.readByte()],
                    in.readBoolean(),
                    in.readLong(),
                    in.readBoolean(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong(),
                    in.readLong());
        }
        int nextChunkIndex = in.readInt();
        Object[] nextLower = KeyValuesSerde.read(in, schema);
        boolean done = in.readBoolean();
        return new TableSplitting(schema, plan, nextChunkIndex, nextLower, done);
    }

    private static void writeProgress(DataOutput out, TableId table, TableProgress p) throws IOException {
        out.writeUTF(table.schema());
        out.writeUTF(table.table());
        out.writeLong(p.rowCountEstimate());
        out.writeLong(p.chunksEstimate());
        out.writeLong(p.chunksCreated());
        out.writeBoolean(p.splittingDone());
        out.writeLong(p.chunksFinished());
    }
}
