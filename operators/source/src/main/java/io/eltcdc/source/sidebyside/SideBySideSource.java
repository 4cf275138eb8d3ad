package io.eltcdc.source.sidebyside;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Two sources read at once by the same readers and coordinated by one enumerator: a bounded first
 * source (the snapshot) and a second one (the change log), whose records go out as one stream. What
 * {@code HybridSource} does one after the other, this does side by side; being one source, the
 * operators after it stay chained to its readers.
 *
 * <ul>
 *   <li>Each side's enumerator and readers see only their own splits and events ({@link SideEvent},
 *       {@link SideEnumeratorContext}, {@link SideReaderContext}).
 *   <li>The enumerator's checkpoint holds both enumerators' states, and a reader's both readers'
 *       splits, each written by its own source's serializer with that serializer's version.
 *   <li>The first side ends its readers' share alone; the source is unbounded as long as the second
 *       side is.
 * </ul>
 *
 * @param <T> the records both sources produce
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class SideBySideSource<T> implements Source<T, SideSplit, Sides<Object>>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final Source first;
    private final Source second;
    private final TypeInformation<T> type;

    /**
     * @param first the bounded source that ends while the second goes on (the snapshot)
     * @param second the source read beside it (the change log)
     * @param type what both produce
     */
    public SideBySideSource(Source<T, ?, ?> first, Source<T, ?, ?> second, TypeInformation<T> type) {
        this.first = Objects.requireNonNull(first, "first");
        this.second = Objects.requireNonNull(second, "second");
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public Boundedness getBoundedness() {
        return first.getBoundedness() == Boundedness.BOUNDED && second.getBoundedness() == Boundedness.BOUNDED
                ? Boundedness.BOUNDED
                : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, SideSplit> createReader(SourceReaderContext context) throws Exception {
        SourceReader<T, SourceSplit> firstReader = first.createReader(new SideReaderContext(Side.FIRST, context));
        SourceReader<T, SourceSplit> secondReader = second.createReader(new SideReaderContext(Side.SECOND, context));
        return new SideBySideReader<>(new Sides<>(firstReader, secondReader));
    }

    @Override
    public SplitEnumerator<SideSplit, Sides<Object>> createEnumerator(SplitEnumeratorContext<SideSplit> context)
            throws Exception {
        return new SideBySideEnumerator(new Sides<>(
                first.createEnumerator(new SideEnumeratorContext(Side.FIRST, context)),
                second.createEnumerator(new SideEnumeratorContext(Side.SECOND, context))));
    }

    @Override
    public SplitEnumerator<SideSplit, Sides<Object>> restoreEnumerator(
            SplitEnumeratorContext<SideSplit> context, Sides<Object> checkpoint) throws Exception {
        return new SideBySideEnumerator(new Sides<>(
                first.restoreEnumerator(new SideEnumeratorContext(Side.FIRST, context), checkpoint.first()),
                second.restoreEnumerator(new SideEnumeratorContext(Side.SECOND, context), checkpoint.second())));
    }

    @Override
    public SimpleVersionedSerializer<SideSplit> getSplitSerializer() {
        return new SideSplitSerializer(new Sides<>(first.getSplitSerializer(), second.getSplitSerializer()));
    }

    @Override
    public SimpleVersionedSerializer<Sides<Object>> getEnumeratorCheckpointSerializer() {
        return new SideBySideStateSerializer(
                new Sides<>(first.getEnumeratorCheckpointSerializer(), second.getEnumeratorCheckpointSerializer()));
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return type;
    }
}
