package io.eltcdc.source.snapshot;

/**
 * A reader's mutable view of a split it is reading: the split plus the key (or row location) of
 * the last row emitted downstream, which is what a checkpoint stores.
 */
final class ChunkSplitState {
    private final ChunkSplit split;
    private Object[] lastKey;
    private String lastRowLocation;

    ChunkSplitState(ChunkSplit split) {
        this.split = split;
        this.lastKey = split.lastKey();
        this.lastRowLocation = split.lastRowLocation();
    }

    ChunkSplit split() {
        return split;
    }

    /** Records that the row with this key (KEY chunks) or location (ROW_LOCATION chunks) was emitted. */
    void emitted(Object[] key, String rowLocation) {
        this.lastKey = key;
        this.lastRowLocation = rowLocation;
    }

    /** The split as a checkpoint stores it: resumes after the last emitted row. */
    ChunkSplit toSplit() {
        return split.withProgress(lastKey, lastRowLocation);
    }
}
