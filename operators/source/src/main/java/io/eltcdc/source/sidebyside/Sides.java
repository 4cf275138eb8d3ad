package io.eltcdc.source.sidebyside;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** One thing per side: {@link #first} and {@link #second} (the enumerator's checkpoint is a pair of states). */
public record Sides<T>(T first, T second) implements Serializable {
    T get(Side side) {
        return side == Side.FIRST ? first : second;
    }

    /** Writes {@code value} with {@code serializer}: its version, the length, the bytes. */
    static <V> void write(SimpleVersionedSerializer<V> serializer, V value, DataOutputView out) throws IOException {
        byte[] bytes = serializer.serialize(value);
        out.writeInt(serializer.getVersion());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static <V> V read(SimpleVersionedSerializer<V> serializer, DataInputView in) throws IOException {
        int version = in.readInt();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return serializer.deserialize(version, bytes);
    }
}
