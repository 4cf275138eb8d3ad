package io.eltcdc.destination;

/**
 * What loading a batch did.
 *
 * @param rowsStaged records read from the batch's files
 * @param rowsMerged rows inserted, updated or deleted in the target
 * @param skipped true when the ledger already held the batch and nothing changed
 */
public record LoadResult(long rowsStaged, long rowsMerged, boolean skipped) {
    public static LoadResult alreadyLoaded() {
        return new LoadResult(0, 0, true);
    }
}
