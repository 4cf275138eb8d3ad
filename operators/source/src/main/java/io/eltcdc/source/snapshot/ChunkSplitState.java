package io.eltcdc.source.snapshot;

/**
 * A reader's mutable view of a split it is reading: the split plus the last row emitted downstream,
 * whose key (or row location) is what a checkpoint stores.
 *
 * <p>The row's values are kept as emitted and its key taken out only when a checkpoint asks, not
 * for every row.
 */
final class ChunkSplitState {
    private final ChunkSplit split;
    private Object[] lastKey;
    private Object[] lastValues;
    private String lastRowLocation;

    ChunkSplitState(ChunkSplit split) {
        this.split = split;
        this.lastKey = split.lastKey();
        this.lastRowLocation = split.lastRowLocation();
    }

    ChunkSplit split() {
        return split;
    }

    /** Records that the row with these values (a KEY chunk's row; not to be changed afterwards) was emitted. */
    void emittedValues(Object[] values) {
        this.lastValues = values;
    }

    /** Records that the row at this location (a ROW_LOCATION chunk's row) was emitted. */
    void emittedAt(String rowLocation) {
        this.lastRowLocation = rowLocation;
    }

    /** The split as a checkpoint stores it: resumes after the last emitted row. */
    ChunkSplit toSplit() {
        if (lastValues != null) {
            lastKey = ChunkQueries.keyOf(split.schema(), lastValues);
            lastValues = null;
        }
        return split.withProgress(lastKey, lastRowLocation);
    }
}
