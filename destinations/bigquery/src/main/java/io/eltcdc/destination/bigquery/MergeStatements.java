package io.eltcdc.destination.bigquery;

import static io.eltcdc.destination.bigquery.BigQueryNames.quote;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.sql.MergeRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The statements that merge one part of a batch (one staging table) into its target table, in
 * GoogleSQL, with the rules of the JDBC destinations' {@link io.eltcdc.destination.sql.MergeSql}:
 * <ul>
 *   <li>per key the staged record with the highest {@code _elt_position} wins
 *       ({@code QUALIFY ROW_NUMBER()}: BigQuery's MERGE fails when two source rows match one
 *       target row);
 *   <li>a DELETE winner removes an older target row (hard deletes), or is written like any other
 *       winner with {@code _elt_deleted = TRUE} and the row's last known values (soft deletes);
 *   <li>any other winner replaces an older target row or is inserted;
 *   <li>values a winner lacks (columns the source did not send, listed in {@code _elt_unchanged},
 *       and every non-key column of a soft DELETE) come from the latest earlier record of the key
 *       in the batch that carried the column and is newer than the target row, else from the
 *       target row, else NULL. Found with one {@code LAST_VALUE(… IGNORE NULLS)} window per
 *       column; a script variable skips that form for parts where no record lacks values;
 *   <li>target columns the batch lacks (dropped in the source) become NULL, as an insert leaves
 *       them (soft DELETE: kept);
 *   <li>a table without key is appended to.
 * </ul>
 * Staged values become target values through {@link StagedColumn#value} (JSON is parsed, TIMESTAMP
 * micros become DATETIME), in the key match too; the rank and the window partitions use the staged
 * values, which order and group like the target's. The script variable {@code rows_merged} adds up
 * {@code @@row_count} after each DML statement.
 */
final class MergeStatements {
    static final String ROWS_MERGED = "rows_merged";
    static final String NEEDS_FILL = "needs_fill";
    private static final String DELETE = MergeRules.DELETE;
    /**
     * GoogleSQL: backquoted names; {@code _elt_unchanged} is an ARRAY of column indexes, empty when the
     * source sent every column ({@link StagedLayout}): {@code IN UNNEST} of an empty list is false and
     * {@code ARRAY_LENGTH} of it 0, so an empty list names no column (as NULL would).
     */
    private static final MergeRules.Spelling SPELLING = new MergeRules.Spelling() {
        @Override
        public String quote(String identifier) {
            return BigQueryNames.quote(identifier);
        }

        @Override
        public String names(String list, int column) {
            return column + " IN UNNEST(" + list + ")";
        }

        @Override
        public String omits(String list, int column) {
            return column + " NOT IN UNNEST(" + list + ")";
        }

        @Override
        public String namesAny(String list) {
            return "ARRAY_LENGTH(" + list + ") > 0";
        }

        @Override
        public String onlyIf(String condition, String value) {
            return "IF(" + condition + ", " + value + ", NULL)";
        }
    };

    private static final String OP = quote(MetadataColumns.OP);
    private static final String POSITION = quote(MetadataColumns.POSITION);
    private static final String UNCHANGED = quote(MetadataColumns.UNCHANGED);

    private final String target;
    private final String tableName;
    private final String stage;
    private final List<StagedColumn> columns;
    private final boolean hasUnchanged;
    private final List<String> targetColumns;
    private final DeleteMode deleteMode;
    private final MergeRules rules;
    private final boolean writesDeleted;

    /**
     * @param target the target table, qualified and quoted
     * @param tableName the target table as messages name it ({@code dataset.table})
     * @param stage the staging table, qualified and quoted
     * @param hasUnchanged whether the staging table has {@code _elt_unchanged}
     * @param targetColumns the target table's columns (BigQuery names)
     */
    MergeStatements(
            String target,
            String tableName,
            String stage,
            List<StagedColumn> columns,
            boolean hasUnchanged,
            List<String> targetColumns,
            DeleteMode deleteMode) {
        this.target = target;
        this.tableName = tableName;
        this.stage = stage;
        this.columns = List.copyOf(columns);
        this.hasUnchanged = hasUnchanged;
        this.targetColumns = List.copyOf(targetColumns);
        this.deleteMode = deleteMode;
        this.rules = new MergeRules(SPELLING, deleteMode);
        this.writesDeleted = rules.writesDeleted(targetColumns);
    }

    private boolean soft() {
        return deleteMode == DeleteMode.SOFT;
    }

    private boolean keyed() {
        return columns.stream().anyMatch(StagedColumn::key);
    }

    /** The part's statements, each ending with {@code ;}, in order. */
    List<String> statements() {
        List<String> out = new ArrayList<>(keyChecks());
        if (!keyed()) {
            out.add(append() + ";");
            out.add(countMerged());
            return out;
        }
        if (!soft() && !hasUnchanged) { // no record can lack a value
            out.add(merge(false) + ";");
            out.add(countMerged());
            return out;
        }
        out.add("SET " + NEEDS_FILL + " = " + needsFill() + ";");
        out.add("IF " + NEEDS_FILL + " THEN");
        out.add(merge(true) + ";");
        out.add(countMerged());
        out.add("ELSE");
        out.add(merge(false) + ";");
        out.add(countMerged());
        out.add("END IF;");
        return out;
    }

    /**
     * Deletes the tombstones of {@code target} (qualified and quoted) when the batch completes the
     * table's snapshot ({@link MergeRules#purgeTombstones}), counting the rows it deletes.
     */
    static List<String> purgeTombstones(String target) {
        return List.of(MergeRules.purgeTombstones(SPELLING, target) + ";", countMerged());
    }

    private static String countMerged() {
        return "SET " + ROWS_MERGED + " = " + ROWS_MERGED + " + COALESCE(@@row_count, 0);";
    }

    /** A staged record that claims not to have sent a key column fails the batch (as the JDBC stagers do). */
    List<String> keyChecks() {
        if (!hasUnchanged) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (StagedColumn column : columns) {
            if (column.key()) {
                out.add("ASSERT NOT EXISTS (SELECT 1 FROM " + stage + " AS s WHERE " + column.index() + " IN UNNEST(s."
                        + UNCHANGED + ")) AS "
                        + BigQueryNames.literal("a staged record of " + tableName + " lacks the value of key column "
                                + column.column().name())
                        + ";");
            }
        }
        return out;
    }

    /** Whether some staged record lacks values: a soft DELETE, or a record with unchanged columns. */
    String needsFill() {
        List<String> conditions = new ArrayList<>();
        if (soft()) {
            conditions.add("s." + OP + " = " + DELETE);
        }
        if (hasUnchanged) {
            conditions.add("ARRAY_LENGTH(s." + UNCHANGED + ") > 0");
        }
        return "(SELECT COALESCE(LOGICAL_OR(" + String.join(" OR ", conditions) + "), FALSE) FROM " + stage + " AS s)";
    }

    /** The MERGE of the winners; {@code fill}: with the values winners lack filled in. */
    String merge(boolean fill) {
        List<String> set = new ArrayList<>();
        List<String> insertValues = new ArrayList<>();
        for (StagedColumn column : columns) {
            String staged = column.value("w." + quote(column.staged()));
            if (column.key()) {
                insertValues.add(staged);
                continue;
            }
            if (fill) {
                String lacks = lacks(column);
                String fillValue = column.value("w." + fillColumn(column) + ".v");
                String newer = "w." + fillColumn(column) + " IS NOT NULL AND (t." + POSITION + " IS NULL OR t."
                        + POSITION + " < w." + fillColumn(column) + ".p)";
                set.add(quote(column.target()) + " = IF(" + lacks + ", IF(" + newer + ", " + fillValue + ", t."
                        + quote(column.target()) + "), " + staged + ")");
                insertValues.add("IF(" + lacks + ", " + fillValue + ", " + staged + ")");
            } else {
                set.add(quote(column.target()) + " = " + staged);
                insertValues.add(staged);
            }
        }
        for (String dropped : droppedColumns()) {
            set.add(quote(dropped) + " = " + rules.droppedColumnValue("w", "t." + quote(dropped)));
        }
        set.add(OP + " = w." + OP);
        set.add(POSITION + " = w." + POSITION);
        set.add(quote(MetadataColumns.SYNCED_AT) + " = CURRENT_TIMESTAMP()");
        insertValues.add("w." + OP);
        insertValues.add("w." + POSITION);
        insertValues.add("CURRENT_TIMESTAMP()");
        if (writesDeleted) {
            set.add(quote(MetadataColumns.DELETED) + " = " + isDelete("w"));
            insertValues.add(isDelete("w"));
        }
        String older = rules.older("t", "w");
        StringBuilder sql = new StringBuilder("MERGE INTO ")
                .append(target)
                .append(" AS t\nUSING (")
                .append(winners(fill))
                .append(") AS w\nON ")
                .append(keyMatch());
        if (soft()) {
            sql.append("\nWHEN MATCHED AND ")
                    .append(older)
                    .append(" THEN UPDATE SET ")
                    .append(String.join(", ", set))
                    .append("\nWHEN NOT MATCHED THEN INSERT (")
                    .append(insertColumns())
                    .append(") VALUES (")
                    .append(String.join(", ", insertValues))
                    .append(")");
        } else {
            sql.append("\nWHEN MATCHED AND w.")
                    .append(OP)
                    .append(" = ")
                    .append(DELETE)
                    .append(" AND ")
                    .append(older)
                    .append(" THEN DELETE")
                    .append("\nWHEN MATCHED AND w.")
                    .append(OP)
                    .append(" <> ")
                    .append(DELETE)
                    .append(" AND ")
                    .append(older)
                    .append(" THEN UPDATE SET ")
                    .append(String.join(", ", set))
                    .append("\nWHEN NOT MATCHED AND w.")
                    .append(OP)
                    .append(" <> ")
                    .append(DELETE)
                    .append(" THEN INSERT (")
                    .append(insertColumns())
                    .append(") VALUES (")
                    .append(String.join(", ", insertValues))
                    .append(")");
        }
        return sql.toString();
    }

    /** The latest staged record per key; with {@code fill}, each with the latest earlier value of every non-key column. */
    String winners(boolean fill) {
        String partition = "PARTITION BY "
                + columns.stream()
                        .filter(StagedColumn::key)
                        .map(c -> "s." + quote(c.staged()))
                        .collect(Collectors.joining(", "));
        String rank = "ROW_NUMBER() OVER (" + partition + " ORDER BY s." + POSITION + " DESC)";
        if (!fill) {
            return "SELECT * FROM " + stage + " AS s WHERE TRUE QUALIFY " + rank + " = 1";
        }
        StringBuilder select = new StringBuilder("SELECT * EXCEPT (_elt_rank) FROM (SELECT s.*, ")
                .append(rank)
                .append(" AS _elt_rank");
        for (StagedColumn column : columns) {
            if (!column.key()) {
                select.append(", LAST_VALUE(IF(")
                        .append(carries(column))
                        .append(", STRUCT(s.")
                        .append(quote(column.staged()))
                        .append(" AS v, s.")
                        .append(POSITION)
                        .append(" AS p), NULL) IGNORE NULLS) OVER (")
                        .append(partition)
                        .append(" ORDER BY s.")
                        .append(POSITION)
                        .append(" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ")
                        .append(fillColumn(column));
            }
        }
        return select.append(" FROM ")
                .append(stage)
                .append(" AS s) WHERE _elt_rank = 1")
                .toString();
    }

    /** Whether staged record {@code s} carries a value of {@code column}: not a DELETE, and sent it. */
    private String carries(StagedColumn column) {
        String notDelete = rules.isNotDelete("s");
        return hasUnchanged ? notDelete + " AND " + rules.carries("s", column.index(), true) : notDelete;
    }

    /** Whether winner {@code w} lacks the value of {@code column}. */
    private String lacks(StagedColumn column) {
        return rules.lacks("w", column.index(), soft(), hasUnchanged);
    }

    private static String fillColumn(StagedColumn column) {
        return "_elt_fill_" + column.index();
    }

    /** Appends every staged record: a table without key. */
    String append() {
        List<String> values = new ArrayList<>();
        for (StagedColumn column : columns) {
            values.add(column.value("s." + quote(column.staged())));
        }
        values.add("s." + OP);
        values.add("s." + POSITION);
        values.add("CURRENT_TIMESTAMP()");
        if (writesDeleted) {
            values.add(isDelete("s"));
        }
        return "INSERT INTO " + target + " (" + insertColumns() + ")\nSELECT " + String.join(", ", values) + " FROM "
                + stage + " AS s";
    }

    private String insertColumns() {
        List<String> names = new ArrayList<>();
        for (StagedColumn column : columns) {
            names.add(quote(column.target()));
        }
        for (String metadata : MetadataColumns.ALL) {
            names.add(quote(metadata));
        }
        if (writesDeleted) {
            names.add(quote(MetadataColumns.DELETED));
        }
        return String.join(", ", names);
    }

    private String keyMatch() {
        return columns.stream()
                .filter(StagedColumn::key)
                .map(c -> "t." + quote(c.target()) + " = " + c.value("w." + quote(c.staged())))
                .collect(Collectors.joining(" AND "));
    }

    /** Target columns that are neither batch columns nor metadata: columns the source dropped. */
    private List<String> droppedColumns() {
        List<String> batch =
                columns.stream().map(c -> c.target().toLowerCase(Locale.ROOT)).toList();
        return targetColumns.stream()
                .filter(c -> !batch.contains(c.toLowerCase(Locale.ROOT)) && !MetadataColumns.isMetadata(c))
                .toList();
    }

    private String isDelete(String alias) {
        return rules.isDelete(alias);
    }
}
