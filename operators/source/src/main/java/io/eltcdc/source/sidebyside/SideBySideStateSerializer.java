package io.eltcdc.source.sidebyside;

import io.eltcdc.model.serde.StateFormats;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Versioned serializer of the side-by-side enumerator's checkpoint: both enumerators' states.
 *
 * <p>Version 1: magic number 0x454C5455 ("ELTU"), then the first and the second enumerator's state,
 * each written by its own source's serializer with that serializer's version.
 */
final class SideBySideStateSerializer implements SimpleVersionedSerializer<Sides<Object>> {
    static final int VERSION = 1;
    static final int MAGIC = 0x454C5455; // "ELTU"
    private static final String STATE = "side-by-side enumerator state";

    private final Sides<SimpleVersionedSerializer<Object>> inner;

    SideBySideStateSerializer(Sides<SimpleVersionedSerializer<Object>> inner) {
        this.inner = inner;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(Sides<Object> state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(MAGIC);
        Sides.write(inner.first(), state.first(), out);
        Sides.write(inner.second(), state.second(), out);
        return out.getCopyOfBuffer();
    }

    @Override
    public Sides<Object> deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw StateFormats.unknownVersion(STATE, version, VERSION, VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        StateFormats.checkMagic(in, MAGIC, STATE);
        Object first = Sides.read(inner.first(), in);
        Object second = Sides.read(inner.second(), in);
        StateFormats.checkFullyRead(in, STATE);
        return new Sides<>(first, second);
    }
}
