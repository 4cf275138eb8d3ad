package io.eltcdc.destination.staged;

import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Splits a batch's files into the parts that load together, and orders the parts, for every
 * destination: one part when the files' schema versions agree on every column's type (the usual
 * case, also when columns were added), else one part per schema version (a column's type changed in
 * the source within the checkpoint), merged one after the other, oldest first.
 *
 * <p>Why the order matters: a part's merge fills the values its records did not send (unchanged
 * TOASTed columns) and a soft-deleted row's values from the target row as the earlier parts left
 * it, and skips records older than the target's. Merged newer part first, the older part's values
 * would be skipped and the newer part's gaps filled from the row before the batch: stale values,
 * without an error. The batch's file list follows the writers' committables, not positions.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>Parts are ordered by their first position: the smallest position of their files' first
 *       records. A file's records are in the order the source emitted them, so its first record has
 *       its smallest position (snapshot READ rows all carry the snapshot's start position). The
 *       exception: during a mid-stream table sync, READ rows carry the sync's read position among
 *       log events, so a file may start with a later position than it holds.
 *   <li>Parts of equal first position keep the order they are given in; parts without any record
 *       go last.
 *   <li>Nothing beyond the files' headers is read unless the batch splits into several parts:
 *       staged files may be remote.
 * </ul>
 */
public final class SchemaVersionGroups {
    private SchemaVersionGroups() {}

    /** How a loader learns the position of a file's first record (null for a file without records). */
    @FunctionalInterface
    public interface FirstPosition<F> {
        Position of(F file) throws IOException;
    }

    /** The parts of open staged files, read ahead for their first positions only when there are several. */
    public static List<List<StagedFileReader>> of(List<StagedFileReader> files) throws IOException {
        return of(files, StagedFileReader::schema, StagedFileReader::firstPosition);
    }

    /**
     * The parts of {@code files}, each of a schema ({@code schemaOf}, never null): all of them, or
     * one per schema version, oldest first.
     */
    public static <F> List<List<F>> of(List<F> files, Function<F, TableSchema> schemaOf, FirstPosition<F> firstPosition)
            throws IOException {
        if (files.isEmpty()) {
            return List.of();
        }
        if (BatchColumns.columnTypesAgree(files.stream().map(schemaOf).toList())) {
            return List.of(files);
        }
        return oldestFirst(byVersion(files, f -> schemaOf.apply(f).version()), firstPosition);
    }

    /** The files of each version ({@code versionOf}), versions in the order they first appear. */
    public static <F> List<List<F>> byVersion(List<F> files, Function<F, String> versionOf) {
        Map<String, List<F>> byVersion = new LinkedHashMap<>();
        for (F file : files) {
            byVersion
                    .computeIfAbsent(versionOf.apply(file), v -> new ArrayList<>())
                    .add(file);
        }
        return new ArrayList<>(byVersion.values());
    }

    /**
     * {@code parts} ordered by their first position (see the invariants); reads the first position of
     * every file once.
     */
    public static <F> List<List<F>> oldestFirst(List<List<F>> parts, FirstPosition<F> firstPosition)
            throws IOException {
        List<PartStart<F>> starts = new ArrayList<>(parts.size());
        for (List<F> part : parts) {
            Position first = null;
            for (F file : part) {
                Position p = firstPosition.of(file);
                if (p != null && (first == null || p.compareTo(first) < 0)) {
                    first = p;
                }
            }
            starts.add(new PartStart<>(part, first));
        }
        // List.sort is stable: equal first positions keep the given order.
        starts.sort(Comparator.comparing(PartStart::first, Comparator.nullsLast(Comparator.naturalOrder())));
        return starts.stream().map(PartStart::files).toList();
    }

    private record PartStart<F>(List<F> files, Position first) {}
}
