package io.eltcdc.job.verify;

import io.eltcdc.model.TableId;

/**
 * What {@code verify} found for one source table.
 *
 * @param table the source table
 * @param target its target table, as the destination names it
 * @param sourceRows rows in the source
 * @param destinationRows rows in the destination (soft-deleted rows not counted)
 * @param ranges key ranges compared
 * @param differingRanges ranges whose rows or checksums differ after settling
 * @param differences the differing rows found in those ranges, with example keys
 * @param incomplete whether a differing range had more rows than were fetched for the examples
 * @param error why the table could not be compared, or null
 */
public record TableResult(
        TableId table,
        String target,
        long sourceRows,
        long destinationRows,
        int ranges,
        int differingRanges,
        RowDiff.Differences differences,
        boolean incomplete,
        String error) {

    public static TableResult failed(TableId table, String target, String error) {
        return new TableResult(table, target, 0, 0, 0, 0, RowDiff.Differences.NONE, false, error);
    }

    /** Whether source and destination hold the same rows. */
    public boolean equal() {
        return error == null && differingRanges == 0;
    }
}
