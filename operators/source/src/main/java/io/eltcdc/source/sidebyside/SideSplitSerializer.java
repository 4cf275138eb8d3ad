package io.eltcdc.source.sidebyside;

import io.eltcdc.model.serde.StateFormats;
import java.io.IOException;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of {@link SideSplit}s.
 *
 * <p>Version 1: magic number 0x454C5453 ("ELTS"), the side (a byte), then the inner split written
 * by its own source's serializer with that serializer's version, as {@link Sides#write}.
 */
final class SideSplitSerializer implements SimpleVersionedSerializer<SideSplit> {
    static final int VERSION = 1;
    static final int MAGIC = 0x454C5453; // "ELTS"
    private static final String STATE = "side-by-side split";

    private final Sides<SimpleVersionedSerializer<SourceSplit>> inner;

    SideSplitSerializer(Sides<SimpleVersionedSerializer<SourceSplit>> inner) {
        this.inner = inner;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SideSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeInt(MAGIC);
        out.writeByte(split.side().ordinal());
        Sides.write(inner.get(split.side()), split.split(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public SideSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw StateFormats.unknownVersion(STATE, version, VERSION, VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        StateFormats.checkMagic(in, MAGIC, STATE);
        Side side = Side.of(in.readByte());
        SourceSplit split = Sides.read(inner.get(side), in);
        StateFormats.checkFullyRead(in, STATE);
        return new SideSplit(side, split);
    }
}
