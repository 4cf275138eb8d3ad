package io.eltcdc.source.planner;

import io.eltcdc.model.TableSchema;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where splitting one table into chunks stands: its plan (null until planned) and what the next
 * chunk starts from. Part of the enumerator's checkpointed state, so splitting continues after a
 * restore where it stopped, without repeating chunks already handed out.
 */
public final class TableSplitting {
    private final TableSchema schema;
    private ChunkingPlan plan;
    private int nextChunkIndex;
    /** {@link ChunkingPlan.Strategy#BOUNDARY}: exclusive lower bound of the next chunk, null = from the start. */
    private Object[] nextLower;

    private boolean done;

    public TableSplitting(TableSchema schema) {
        this(schema, null, 0, null, false);
    }

    public TableSplitting(TableSchema schema, ChunkingPlan plan, int nextChunkIndex, Object[] nextLower, boolean done) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.plan = plan;
        this.nextChunkIndex = nextChunkIndex;
        this.nextLower = nextLower;
        this.done = done;
    }

    public TableSchema schema() {
        return schema;
    }

    /** The plan, or null while the table is not planned yet. */
    public ChunkingPlan plan() {
        return plan;
    }

    public void planned(ChunkingPlan plan) {
        this.plan = plan;
    }

    public int nextChunkIndex() {
        return nextChunkIndex;
    }

    public Object[] nextLower() {
        return nextLower;
    }

    /** Whether every chunk of the table has been made. */
    public boolean done() {
        return done;
    }

    /** Moves past a chunk just made: the next starts after {@code upper} (if any), or none follows. */
    void advance(Object[] upper, boolean last) {
        nextChunkIndex++;
        nextLower = upper;
        done = last;
    }

    public TableSplitting copy() {
        return new TableSplitting(schema, plan, nextChunkIndex, nextLower == null ? null : nextLower.clone(), done);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSplitting t
                && t.schema.equals(schema)
                && Objects.equals(t.plan, plan)
                && t.nextChunkIndex == nextChunkIndex
                && Arrays.deepEquals(t.nextLower, nextLower)
                && t.done == done;
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema.id(), nextChunkIndex);
    }

    @Override
    public String toString() {
        return schema.id() + (plan == null ? " (not planned)" : " " + plan.strategy()) + " next chunk " + nextChunkIndex
                + (nextLower == null ? "" : " after " + Arrays.deepToString(nextLower)) + (done ? " done" : "");
    }
}
