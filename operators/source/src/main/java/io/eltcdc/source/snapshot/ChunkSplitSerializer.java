package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.StateFormats;
import io.eltcdc.model.serde.TableSchemaSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Checkpoint form of {@link ChunkSplit}.
 *
 * <p>Version 1: table schema ({@link TableSchemaSerde}), chunk index, read order, partitioned flag,
 * lower bound, upper bound and last emitted key (each optional, key values in
 * {@code TypedValues} form), last row location (optional text, e.g. {@code (12,3)}).
 * <p>Version 2: version 1, then the position the chunk's rows carry (high, low). Version 1 splits
 * read as carrying {@link Position#SNAPSHOT}.
 * <p>Version 3: the magic number 0x454C5453 ("ELTS"), then version 2.
 *
 * <p>A new layout gets a new version, and fixtures in {@code ChunkSplitSerializerCompatibilityTest};
 * {@link #deserialize} keeps reading the old ones.
 */
public final class ChunkSplitSerializer implements SimpleVersionedSerializer<ChunkSplit> {
    public static final ChunkSplitSerializer INSTANCE = new ChunkSplitSerializer();

    static final int MAGIC = 0x454C5453; // "ELTS"
    private static final String STATE = "snapshot chunk split";
    private static final int VERSION_1 = 1;
    private static final int VERSION_2 = 2;
    private static final int VERSION_3 = 3;

    @Override
    public int getVersion() {
        return VERSION_3;
    }

    @Override
    public byte[] serialize(ChunkSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        write(out, split);
        return out.getCopyOfBuffer();
    }

    @Override
    public ChunkSplit deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ChunkSplit split = switch (version) {
            case VERSION_1 -> readV1(in);
            case VERSION_2 -> readV2(in);
            case VERSION_3 -> {
                StateFormats.checkMagic(in, MAGIC, STATE);
                yield readV2(in);
            }
            default -> throw StateFormats.unknownVersion(STATE, version, VERSION_1, VERSION_3);
        };
        StateFormats.checkFullyRead(in, STATE);
        return split;
    }

    private static void write(DataOutput out, ChunkSplit split) throws IOException {
        TableSchema schema = split.schema();
        TableSchemaSerde.write(out, schema);
        out.writeInt(split.chunkIndex());
        out.writeByte(split.readOrder().ordinal());
        out.writeBoolean(split.partitioned());
        KeyValuesSerde.write(out, schema, split.lowerBound());
        KeyValuesSerde.write(out, schema, split.upperBound());
        KeyValuesSerde.write(out, schema, split.lastKey());
        KeyValuesSerde.writeOptionalString(out, split.lastRowLocation());
        out.writeLong(split.position().high());
        out.writeLong(split.position().low());
    }

    private static ChunkSplit readV2(DataInput in) throws IOException {
        return readV1(in).withPosition(new Position(in.readLong(), in.readLong()));
    }

    private static ChunkSplit readV1(DataInput in) throws IOException {
        TableSchema schema = TableSchemaSerde.read(in);
        int chunkIndex = in.readInt();
        ChunkSplit.ReadOrder order = ChunkSplit.ReadOrder.values()[in.readByte()];
        boolean partitioned = in.readBoolean();
        Object[] lower = KeyValuesSerde.read(in, schema);
        Object[] upper = KeyValuesSerde.read(in, schema);
        Object[] lastKey = KeyValuesSerde.read(in, schema);
        String lastLocation = KeyValuesSerde.readOptionalString(in);
        return new ChunkSplit(schema, chunkIndex, order, partitioned, lower, upper, lastKey, lastLocation);
    }
}
