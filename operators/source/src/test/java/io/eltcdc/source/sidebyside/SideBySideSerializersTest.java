package io.eltcdc.source.sidebyside;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side source's splits and checkpoints keep each side's bytes with that side's own
 * serializer and version, and refuse versions and bytes they do not know.
 */
class SideBySideSerializersTest {
    /** A split of some source, written in version {@code version} by {@link Named}. */
    private record NamedSplit(String splitId) implements SourceSplit {}

    /** A source's own serializer, with a version of its own that must reach it again. */
    private record Named(int version) implements SimpleVersionedSerializer<Object> {
        @Override
        public int getVersion() {
            return version;
        }

        @Override
        public byte[] serialize(Object value) {
            String text = value instanceof NamedSplit split ? split.splitId() : (String) value;
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Object deserialize(int version, byte[] serialized) throws IOException {
            if (version != this.version) {
                throw new IOException("version " + version);
            }
            return new NamedSplit(new String(serialized, StandardCharsets.UTF_8) + "@v" + version);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Sides<SimpleVersionedSerializer<SourceSplit>> splitSerializers() {
        return new Sides(new Named(3), new Named(9));
    }

    @Test
    void aSplitKeepsItsSideAndItsSourcesVersion() throws IOException {
        SideSplitSerializer serializer = new SideSplitSerializer(splitSerializers());

        SideSplit first =
                serializer.deserialize(1, serializer.serialize(new SideSplit(Side.FIRST, new NamedSplit("a:0"))));
        SideSplit second =
                serializer.deserialize(1, serializer.serialize(new SideSplit(Side.SECOND, new NamedSplit("stream"))));

        assertThat(first).isEqualTo(new SideSplit(Side.FIRST, new NamedSplit("a:0@v3")));
        assertThat(second).isEqualTo(new SideSplit(Side.SECOND, new NamedSplit("stream@v9")));
    }

    @Test
    void theEnumeratorsCheckpointKeepsBothStates() throws IOException {
        SideBySideStateSerializer serializer = new SideBySideStateSerializer(new Sides<>(new Named(3), new Named(9)));

        Sides<Object> state = serializer.deserialize(1, serializer.serialize(new Sides<>("snapshot", "log")));

        assertThat(state).isEqualTo(new Sides<>(new NamedSplit("snapshot@v3"), new NamedSplit("log@v9")));
    }

    @Test
    void otherVersionsAndOtherBytesAreRefused() throws IOException {
        SideSplitSerializer splits = new SideSplitSerializer(splitSerializers());
        byte[] split = splits.serialize(new SideSplit(Side.FIRST, new NamedSplit("a:0")));
        SideBySideStateSerializer states = new SideBySideStateSerializer(new Sides<>(new Named(3), new Named(9)));

        assertThatThrownBy(() -> splits.deserialize(2, split))
                .hasMessageStartingWith("cannot read side-by-side split version 2: this build reads version 1");
        assertThatThrownBy(() -> states.deserialize(1, split))
                .hasMessageContaining("magic number 0x454c5453, expected 0x454c5455");
    }
}
