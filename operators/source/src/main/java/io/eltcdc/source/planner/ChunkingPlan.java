package io.eltcdc.source.planner;

/**
 * How one table is cut into chunks, decided once from its row count and key range.
 *
 * @param strategy how chunk bounds are found
 * @param partitioned whether the table is partitioned (read with its partitions)
 * @param rowCount rows when planned: exact ({@code exactCount}) or the catalog's estimate
 * @param estimatedChunks chunks expected, for progress metrics and the plan's log line
 * @param min smallest key ({@link Strategy#ARITHMETIC} only)
 * @param max largest key ({@link Strategy#ARITHMETIC} only)
 * @param width keys per chunk ({@link Strategy#ARITHMETIC} only)
 */
public record ChunkingPlan(
        Strategy strategy,
        boolean partitioned,
        long rowCount,
        boolean exactCount,
        long estimatedChunks,
        long min,
        long max,
        long width) {

    public enum Strategy {
        /** A single integer key, evenly spread: bounds computed, {@code min + i * width - 1}. */
        ARITHMETIC,
        /** Other or skewed keys: each bound is the key {@code chunkSize} rows after the previous one. */
        BOUNDARY,
        /** An empty table: one chunk by key, unbounded (it still reads rows inserted since). */
        SINGLE_KEY,
        /** No usable key: the whole table is one chunk, read in physical row order. */
        SINGLE_ROW_LOCATION
    }

    static ChunkingPlan single(Strategy strategy, boolean partitioned, long rowCount, boolean exactCount) {
        return new ChunkingPlan(strategy, partitioned, rowCount, exactCount, 1, 0, 0, 0);
    }
}
