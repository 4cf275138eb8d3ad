package io.eltcdc.source.snapshot;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableId;
import io.eltcdc.source.log.LogStart;
import io.eltcdc.source.planner.TableSplitting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The snapshot enumerator's checkpoint: whether the tables were discovered, the position snapshot
 * rows carry, the tables not yet fully split (with where splitting stopped), the chunks made but
 * not yet handed to a reader, and per-table progress. Chunks already assigned are not here: the
 * readers checkpoint those, with how far they got. And, for a pipeline that goes on to the change
 * log, where the log stood before the snapshot began ({@link LogStart}; null until recorded and
 * for a snapshot-only pipeline); its position is then the start position.
 */
public final class SnapshotEnumeratorState {
    private final boolean tablesDiscovered;
    private final Position startPosition;
    private final List<TableSplitting> pendingTables;
    private final List<ChunkSplit> unassignedSplits;
    private final Map<TableId, TableProgress> progress;
    private final LogStart logStart;

    SnapshotEnumeratorState(
            boolean tablesDiscovered,
            Position startPosition,
            List<TableSplitting> pendingTables,
            List<ChunkSplit> unassignedSplits,
            Map<TableId, TableProgress> progress) {
        this(tablesDiscovered, startPosition, pendingTables, unassignedSplits, progress, null);
    }

    SnapshotEnumeratorState(
            boolean tablesDiscovered,
            Position startPosition,
            List<TableSplitting> pendingTables,
            List<ChunkSplit> unassignedSplits,
            Map<TableId, TableProgress> progress,
            LogStart logStart) {
        this.logStart = logStart;
        this.tablesDiscovered = tablesDiscovered;
        this.startPosition = Objects.requireNonNull(startPosition, "startPosition");
        this.pendingTables = pendingTables.stream().map(TableSplitting::copy).toList();
        this.unassignedSplits = List.copyOf(unassignedSplits);
        Map<TableId, TableProgress> copy = new LinkedHashMap<>();
        progress.forEach((table, p) -> copy.put(table, p.copy()));
        this.progress = Collections.unmodifiableMap(copy);
    }

    /** The state of a snapshot that has not started: tables still to be discovered. */
    public static SnapshotEnumeratorState initial(Position startPosition) {
        return new SnapshotEnumeratorState(false, startPosition, List.of(), List.of(), Map.of());
    }

    public boolean tablesDiscovered() {
        return tablesDiscovered;
    }

    public Position startPosition() {
        return startPosition;
    }

    /** Where the change log stood before the snapshot; null when not recorded. */
    public LogStart logStart() {
        return logStart;
    }

    /** Tables with chunks still to make, in the order they are split (copies). */
    List<TableSplitting> pendingTables() {
        return new ArrayList<>(pendingTables.stream().map(TableSplitting::copy).toList());
    }

    public List<ChunkSplit> unassignedSplits() {
        return unassignedSplits;
    }

    /** Progress by table (copies). */
    Map<TableId, TableProgress> progress() {
        Map<TableId, TableProgress> copy = new LinkedHashMap<>();
        progress.forEach((table, p) -> copy.put(table, p.copy()));
        return copy;
    }

    /** Chunks readers reported finished, by table. */
    public Map<TableId, Long> finishedChunks() {
        Map<TableId, Long> finished = new LinkedHashMap<>();
        progress.forEach((table, p) -> finished.put(table, p.chunksFinished()));
        return finished;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotEnumeratorState s
                && s.tablesDiscovered == tablesDiscovered
                && s.startPosition.equals(startPosition)
                && s.pendingTables.equals(pendingTables)
                && s.unassignedSplits.equals(unassignedSplits)
                && s.progress.equals(progress)
                && Objects.equals(s.logStart, logStart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tablesDiscovered, startPosition, pendingTables, unassignedSplits);
    }

    @Override
    public String toString() {
        return "SnapshotEnumeratorState{discovered=" + tablesDiscovered + ", start=" + startPosition
                + ", log=" + logStart
                + ", pending=" + pendingTables + ", unassigned=" + unassignedSplits.size()
                + ", progress=" + progress + '}';
    }
}
