package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableSchema;

/**
 * A reader's mutable view of a split it is reading: the split plus the last row emitted downstream,
 * whose key (or row location) is what a checkpoint stores.
 *
 * <p>The row's values are kept as emitted and its key taken out only when a checkpoint asks, not
 * for every row.
 */
public final class ChunkSplitState {
    private final ChunkSplit split;
    private Object[] lastKey;
    private Object[] lastValues;
    private String lastRowLocation;

    public ChunkSplitState(ChunkSplit split) {
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
    public void emittedAt(String rowLocation) {
        this.lastRowLocation = rowLocation;
    }

    /** The split as a checkpoint stores it: resumes after the last emitted row. */
    public ChunkSplit toSplit() {
        if (lastValues != null) {
            lastKey = keyOf(split.schema(), lastValues);
            lastValues = null;
        }
        return split.withProgress(lastKey, lastRowLocation);
    }

    /** The key parts of a row's values, in key order. */
    private static Object[] keyOf(TableSchema schema, Object[] values) {
        Object[] key = new Object[schema.keyColumns().size()];
        for (int part = 0; part < key.length; part++) {
            key[part] = values[schema.keyIndex(part)];
        }
        return key;
    }
}
