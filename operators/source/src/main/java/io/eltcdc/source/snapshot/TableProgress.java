package io.eltcdc.source.snapshot;

import io.eltcdc.source.planner.ChunkingPlan;
import java.util.Objects;

/**
 * Snapshot progress of one table, as the enumerator knows it: the plan's estimates, chunks made so
 * far and chunks readers reported finished. Feeds the enumerator's metrics and is checkpointed
 * with its state. (Finished counts are for progress display: a chunk re-read after a failover may
 * be reported twice.)
 */
final class TableProgress {
    static final long UNKNOWN = -1;

    // volatile: metric reporters read them from their own thread
    private volatile long rowCountEstimate;
    private volatile long chunksEstimate;
    private volatile long chunksCreated;
    private volatile boolean splittingDone;
    private volatile long chunksFinished;

    TableProgress() {
        this(UNKNOWN, UNKNOWN, 0, false, 0);
    }

    TableProgress(
            long rowCountEstimate,
            long chunksEstimate,
            long chunksCreated,
            boolean splittingDone,
            long chunksFinished) {
        this.rowCountEstimate = rowCountEstimate;
        this.chunksEstimate = chunksEstimate;
        this.chunksCreated = chunksCreated;
        this.splittingDone = splittingDone;
        this.chunksFinished = chunksFinished;
    }

    void planned(ChunkingPlan plan) {
        rowCountEstimate = plan.rowCount();
        chunksEstimate = plan.estimatedChunks();
    }

    void chunkCreated(boolean last) {
        chunksCreated++;
        splittingDone = last;
    }

    void chunkFinished() {
        chunksFinished++;
    }

    /**
     * Whether every chunk of the table is made and read, as the readers' reports counted here say.
     * A report lost across a restore makes this stay false (the enumerator then learns it from the
     * readers running out of chunks); it is never true early.
     */
    boolean allChunksFinished() {
        return splittingDone && chunksFinished >= chunksCreated;
    }

    /** Rows as planned (exact for smaller tables), or -1 before the table is planned. */
    long rowCountEstimate() {
        return rowCountEstimate;
    }

    long chunksEstimate() {
        return chunksEstimate;
    }

    /** Exact once the table is fully split; until then the plan's estimate (-1 before planning). */
    long chunksTotal() {
        if (splittingDone) {
            return chunksCreated;
        }
        return chunksEstimate == UNKNOWN ? UNKNOWN : Math.max(chunksEstimate, chunksCreated);
    }

    long chunksCreated() {
        return chunksCreated;
    }

    boolean splittingDone() {
        return splittingDone;
    }

    long chunksFinished() {
        return chunksFinished;
    }

    TableProgress copy() {
        return new TableProgress(rowCountEstimate, chunksEstimate, chunksCreated, splittingDone, chunksFinished);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableProgress p
                && p.rowCountEstimate == rowCountEstimate
                && p.chunksEstimate == chunksEstimate
                && p.chunksCreated == chunksCreated
                && p.splittingDone == splittingDone
                && p.chunksFinished == chunksFinished;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rowCountEstimate, chunksEstimate, chunksCreated, splittingDone, chunksFinished);
    }

    @Override
    public String toString() {
        return "rows~" + rowCountEstimate + " chunks " + chunksFinished + "/" + chunksTotal()
                + (splittingDone ? "" : " (splitting)");
    }
}
