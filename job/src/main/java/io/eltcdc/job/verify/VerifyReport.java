package io.eltcdc.job.verify;

import io.eltcdc.model.checksum.RowChecksumSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code verify}'s output: one line per source table (rows on each side, ranges compared and
 * differing), then for each table that differs the example keys and how to repair it, then one
 * summary line. Keys are shown in their canonical text ({@link RowChecksumSql}), parts separated by
 * {@code ", "}.
 */
public final class VerifyReport {
    public static final int EQUAL = 0;
    public static final int DIFFERS = 1;

    private VerifyReport() {}

    /**
     * @param repair per table, the line that repairs it (a {@code resync} command, or what to do
     *     instead), given the table's name
     */
    public static String format(List<TableResult> results, java.util.function.Function<String, String> repair) {
        StringBuilder out = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"table", "source rows", "destination rows", "ranges", "differing", "result"});
        for (TableResult r : results) {
            rows.add(new String[] {
                r.table().toString(),
                r.error() == null ? number(r.sourceRows()) : "-",
                r.error() == null ? number(r.destinationRows()) : "-",
                r.error() == null ? number(r.ranges()) : "-",
                r.error() == null ? number(r.differingRanges()) : "-",
                r.error() != null ? "NOT COMPARED" : r.equal() ? "equal" : "DIFFERS"
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = i == 0 || i == row.length - 1 ? pad(row[i], widths[i]) : padLeft(row[i], widths[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (TableResult r : results) {
            if (r.error() != null) {
                out.append('\n')
                        .append(r.table())
                        .append(": not compared: ")
                        .append(r.error())
                        .append('\n');
            } else if (!r.equal()) {
                out.append('\n')
                        .append(r.table())
                        .append(" differs from ")
                        .append(r.target())
                        .append(":\n");
                RowDiff.Differences d = r.differences();
                out.append(kind("missing in the destination", d.missing(), d.missingKeys()));
                out.append(kind("extra in the destination", d.extra(), d.extraKeys()));
                out.append(kind("different values", d.changed(), d.changedKeys()));
                if (r.incomplete()) {
                    out.append("  (a differing range held more rows than were compared one by one:"
                            + " there may be more)\n");
                }
                out.append("  repair: ")
                        .append(repair.apply(r.table().toString()))
                        .append('\n');
            }
        }
        List<String> differing = results.stream()
                .filter(r -> !r.equal())
                .map(r -> r.table().toString())
                .toList();
        out.append('\n')
                .append(
                        differing.isEmpty()
                                ? "verify: " + results.size() + " table(s) equal"
                                : "verify: " + differing.size() + " of " + results.size() + " table(s) differ: "
                                        + String.join(", ", differing))
                .append('\n');
        return out.toString();
    }

    /** 0 when every table is equal, 1 when one differs or could not be compared. */
    public static int exitCode(List<TableResult> results) {
        return results.stream().allMatch(TableResult::equal) ? EQUAL : DIFFERS;
    }

    private static String kind(String what, long count, List<String> keys) {
        if (count == 0) {
            return "";
        }
        return "  " + what + ": " + number(count) + " row(s)"
                + (keys.isEmpty()
                        ? ""
                        : ", e.g. key "
                                + String.join(
                                        "; ",
                                        keys.stream().map(VerifyReport::key).toList()))
                + "\n";
    }

    /** A key's canonical text for people: parts separated by ", ", NULL as NULL. */
    static String key(String canonical) {
        String shown = canonical.replace(RowChecksumSql.SEPARATOR, ", ").replace(RowChecksumSql.NULL, "NULL");
        return canonical.contains(RowChecksumSql.SEPARATOR) ? "(" + shown + ")" : shown;
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }
}
