package io.eltcdc.destination.staged;

import io.eltcdc.destination.MetadataColumns;
import java.util.List;

/**
 * What staging a batch wrote, and what it learnt on the way that lets the merge skip steps.
 *
 * @param rows the records written to the staging table
 * @param keysDistinct true when no key occurs twice among them: the staged records are then the
 *     winners per key already (false when not known)
 * @param hasDeletes true when at least one record is a DELETE (true when not known)
 * @param onlyReads true when every record is a snapshot READ: an initial sync's batch, whose keys
 *     are new to the target unless a failure made it load rows twice (false when not known)
 * @param keyRange the smallest and largest key, for a key of one integer column; null otherwise
 * @param unchangedColumns the batch columns (indexes into {@link BatchColumns#columns()}, ascending)
 *     that some record did not send; empty when every record sent every column, as almost always.
 *     When not empty, the staging table has the {@link MetadataColumns#UNCHANGED} column
 */
public record StagedRows(
        long rows,
        boolean keysDistinct,
        boolean hasDeletes,
        boolean onlyReads,
        KeyRange keyRange,
        List<Integer> unchangedColumns) {

    public StagedRows {
        unchangedColumns = List.copyOf(unchangedColumns);
    }

    /** Rows that sent every column. */
    public StagedRows(long rows, boolean keysDistinct, boolean hasDeletes, boolean onlyReads, KeyRange keyRange) {
        this(rows, keysDistinct, hasDeletes, onlyReads, keyRange, List.of());
    }

    public boolean hasUnchangedColumns() {
        return !unchangedColumns.isEmpty();
    }

    /** The smallest and largest value of a key of one integer column, both included. */
    public record KeyRange(long min, long max) {}

    /** Nothing known beyond the count: every merge step runs. */
    public static StagedRows unknown(long rows) {
        return new StagedRows(rows, false, true, false, null);
    }
}
