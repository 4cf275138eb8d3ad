package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.model.serde.TableSchemaSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint form of {@link ChunkSplit}.
 *
 * <p>Version 1: table schema ({@link TableSchemaSerde}), chunk index, read order, partitioned flag,
 * lower bound, upper bound and last emitted key (each optional, key values in
 * {@code TypedValues} form), last row location (optional text, e.g. {@code (12,3)}).
 * <p>Version 2: version 1, then the position the chunk's rows carry (high, low). Version 1 splits
 * read as carrying {@link Position#SNAPSHOT}.
 * A new layout gets a new version; {@link #deserialize} keeps reading the old ones.
 */
public final class ChunkSplitSerializer implements SimpleVersionedSerializer<ChunkSplit> {
    public static final ChunkSplitSerializer INSTANCE = new ChunkSplitSerializer();

    private static final int VERSION_1 = 1;
    private static final int VERSION_2 = 2;

    @Override
    public int getVersion() {
        return VERSION_2;
    }

    @Override
    public byte[] serialize(ChunkSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, split);
        }
        return bytes.toByteArray();
    }

    @Override
    public ChunkSplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            switch (version) {
                case VERSION_1:
                    return readV1(in);
                case VERSION_2:
                    return readV1(in).withPosition(new Position(in.readLong(), in.readLong()));
                default:
                    throw new IOException("Unknown version " + version + " of a snapshot chunk split (this build reads"
                            + " versions " + VERSION_1 + " to " + VERSION_2 + "); the checkpoint was written by a newer"
                            + " elt-cdc");
            }
        }
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
