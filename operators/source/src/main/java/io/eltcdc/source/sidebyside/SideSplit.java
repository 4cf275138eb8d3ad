package io.eltcdc.source.sidebyside;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/** A split of one of the two sources, with its side. */
public final class SideSplit implements SourceSplit {
    private final Side side;
    private final SourceSplit split;

    SideSplit(Side side, SourceSplit split) {
        this.side = Objects.requireNonNull(side, "side");
        this.split = Objects.requireNonNull(split, "split");
    }

    Side side() {
        return side;
    }

    SourceSplit split() {
        return split;
    }

    /** The inner splits of {@code splits}, by side, in their order. */
    static Sides<List<SourceSplit>> bySide(List<SideSplit> splits) {
        Sides<List<SourceSplit>> out = new Sides<>(new ArrayList<>(), new ArrayList<>());
        for (SideSplit split : splits) {
            out.get(split.side()).add(split.split());
        }
        return out;
    }

    /** The inner split's id: the two sources' ids do not meet (chunk ids name their table). */
    @Override
    public String splitId() {
        return split.splitId();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideSplit other && side == other.side && split.equals(other.split);
    }

    @Override
    public int hashCode() {
        return Objects.hash(side, split);
    }

    @Override
    public String toString() {
        return side + ":" + split;
    }
}
