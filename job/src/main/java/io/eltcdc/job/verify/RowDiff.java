package io.eltcdc.job.verify;

import io.eltcdc.model.checksum.RowHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The rows that differ between the two sides of the ranges that differ, by key: rows missing in the
 * destination, extra rows there, and rows whose values differ. Rows of every differing range of a
 * table are collected before the diff, so a row that the two databases put in different ranges (a
 * text key whose collations order it differently) is still matched by its key. A table without a
 * key is "keyed" by the whole row: its rows differ only as missing or extra, duplicates counted.
 */
public final class RowDiff {
    private final Map<String, Side> rows = new HashMap<>();

    /** Counts and hashes of one key on both sides. */
    private static final class Side {
        int source;
        int destination;
        long sourceHash;
        long destinationHash;
    }

    /** The result: how many rows of each kind, and up to {@code examples} keys of each, sorted. */
    public record Differences(
            long missing,
            long extra,
            long changed,
            List<String> missingKeys,
            List<String> extraKeys,
            List<String> changedKeys) {

        public static final Differences NONE = new Differences(0, 0, 0, List.of(), List.of(), List.of());

        public boolean any() {
            return missing + extra + changed > 0;
        }
    }

    public void addSource(List<RowHash> hashes) {
        for (RowHash h : hashes) {
            Side side = rows.computeIfAbsent(h.key(), k -> new Side());
            side.source++;
            side.sourceHash = h.hash();
        }
    }

    public void addDestination(List<RowHash> hashes) {
        for (RowHash h : hashes) {
            Side side = rows.computeIfAbsent(h.key(), k -> new Side());
            side.destination++;
            side.destinationHash = h.hash();
        }
    }

    /**
     * Adds the rows of one range, both sides, keeping only those that do not match within it: a
     * range's matching rows never stay in memory, whatever the number of ranges.
     */
    public void addRange(List<RowHash> source, List<RowHash> destination) {
        RowDiff range = new RowDiff();
        range.addSource(source);
        range.addDestination(destination);
        range.rows.forEach((key, side) -> {
            if (side.source != side.destination || side.sourceHash != side.destinationHash) {
                Side into = rows.computeIfAbsent(key, k -> new Side());
                into.source += side.source;
                into.destination += side.destination;
                if (side.source > 0) {
                    into.sourceHash = side.sourceHash;
                }
                if (side.destination > 0) {
                    into.destinationHash = side.destinationHash;
                }
            }
        });
    }

    public Differences differences(int examples) {
        long missing = 0;
        long extra = 0;
        long changed = 0;
        TreeSet<String> missingKeys = new TreeSet<>();
        TreeSet<String> extraKeys = new TreeSet<>();
        TreeSet<String> changedKeys = new TreeSet<>();
        for (Map.Entry<String, Side> e : rows.entrySet()) {
            Side s = e.getValue();
            if (s.source > s.destination) {
                missing += s.source - s.destination;
                keep(missingKeys, e.getKey(), examples);
            } else if (s.destination > s.source) {
                extra += s.destination - s.source;
                keep(extraKeys, e.getKey(), examples);
            } else if (s.sourceHash != s.destinationHash) {
                changed += s.source;
                keep(changedKeys, e.getKey(), examples);
            }
        }
        return new Differences(
                missing,
                extra,
                changed,
                new ArrayList<>(missingKeys),
                new ArrayList<>(extraKeys),
                new ArrayList<>(changedKeys));
    }

    /** Keeps the {@code limit} smallest keys (a stable choice of examples). */
    private static void keep(TreeSet<String> keys, String key, int limit) {
        keys.add(key);
        if (keys.size() > limit) {
            keys.pollLast();
        }
    }
}
