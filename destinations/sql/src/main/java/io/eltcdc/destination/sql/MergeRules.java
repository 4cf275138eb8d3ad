package io.eltcdc.destination.sql;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The merge rules of every SQL destination, as SQL conditions and values. {@link MergeSql} (DuckDB,
 * PostgreSQL, Snowflake) and the Redshift and BigQuery statements are built from them, so that a rule
 * changes in one place; the statements' shapes (MERGE, upsert, delete and insert) stay the dialects'.
 *
 * <ul>
 *   <li>Position order: a target row is replaced (or deleted) only by a record of higher
 *       {@code _elt_position}; a row without one (a table made before elt-cdc) counts as lowest
 *       ({@link #older}). Per key, the staged record of the highest position is the winner.
 *   <li>A DELETE ({@link #isDelete}) removes the older target row in hard-delete mode; in soft-delete
 *       mode it is written like any other winner, as a tombstone with {@code _elt_deleted = true}
 *       ({@link #writesDeleted}) and the row's last known values.
 *   <li>Values a record lacks: the columns its {@code _elt_unchanged} list names, and in soft-delete
 *       mode every non-key column of a DELETE ({@link #lacks}, {@link #lacksAny},
 *       {@link #columnsToResolve}). They come from the latest earlier record of the key in the batch
 *       that carried the column ({@link #carries}) and is newer than the target row, else from the
 *       target row, else NULL.
 *   <li>Target columns the batch lacks (dropped in the source) become NULL, as an insert leaves them;
 *       a soft DELETE keeps their values ({@link #droppedColumnValue}).
 *   <li>Tombstones while a table's snapshot is incomplete ({@link LoadBatch#keepsTombstones()}): a
 *       hard-delete table merges such a batch as soft-delete mode does ({@link #deleteModeOf}), so a
 *       DELETE that arrives before the snapshot row of its key (lower position) stays, marked, and the
 *       row loses against it by position; the batch that completes the snapshot
 *       ({@link LoadBatch#purgesTombstones()}) then deletes every row marked deleted
 *       ({@link #purgesTombstones}, {@link #purgeTombstones}) in its transaction.
 * </ul>
 */
public final class MergeRules {
    /** The value of {@code _elt_op} that marks a DELETE, as an SQL literal. */
    public static final String DELETE = "'DELETE'";

    /** What the dialects spell differently in the rules. */
    public interface Spelling {
        /** A quoted identifier. */
        String quote(String identifier);

        /** Whether the list of columns {@code list} (an {@code _elt_unchanged} value) names column {@code column}. */
        String names(String list, int column);

        /** Whether the list {@code list} is absent or does not name column {@code column}. */
        String omits(String list, int column);

        /** Whether the list {@code list} names any column. */
        String namesAny(String list);

        /** {@code value} where {@code condition} holds, else NULL. */
        default String onlyIf(String condition, String value) {
            return "CASE WHEN " + condition + " THEN " + value + " END";
        }
    }

    /**
     * Double-quoted identifiers, and {@code _elt_unchanged} as text of comma-separated column indexes
     * with a comma at either end ({@code ",0,3,"}): PostgreSQL, DuckDB, Redshift, Snowflake.
     */
    public static final Spelling COMMA_SEPARATED = commaSeparated(UnaryOperator.identity());

    /**
     * {@link #COMMA_SEPARATED}, with names quoted as a destination keeps them ({@code naming}:
     * {@link SqlDialect#identifier}).
     */
    public static Spelling commaSeparated(UnaryOperator<String> naming) {
        return new Spelling() {
            @Override
            public String quote(String identifier) {
                return SqlIdentifiers.quote(naming.apply(identifier));
            }

            @Override
            public String names(String list, int column) {
                return "position('," + column + ",' IN " + list + ") > 0";
            }

            @Override
            public String omits(String list, int column) {
                return "(" + list + " IS NULL OR position('," + column + ",' IN " + list + ") = 0)";
            }

            @Override
            public String namesAny(String list) {
                return list + " IS NOT NULL";
            }
        };
    }

    private final Spelling spelling;
    private final DeleteMode deleteMode;

    public MergeRules(Spelling spelling, DeleteMode deleteMode) {
        this.spelling = Objects.requireNonNull(spelling, "spelling");
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
    }

    public DeleteMode deleteMode() {
        return deleteMode;
    }

    /**
     * The delete mode {@code batch} merges in, on a destination configured with {@code configured}:
     * soft-delete mode (DELETE winners written as tombstones, the target gets {@code _elt_deleted})
     * when the table's snapshot is not complete ({@link LoadBatch#keepsTombstones()}) in hard-delete
     * mode; the configured mode otherwise. A table without key ({@code keyed} false) appends its
     * records, merges nothing and keeps no tombstones.
     */
    public static DeleteMode deleteModeOf(DeleteMode configured, LoadBatch batch, boolean keyed) {
        return configured == DeleteMode.HARD && batch.keepsTombstones() && keyed ? DeleteMode.SOFT : configured;
    }

    /**
     * Whether loading {@code batch} ends, after its merge and in its transaction, by deleting the
     * target's tombstones ({@link #purgeTombstones}): it completes the table's snapshot
     * ({@link LoadBatch#purgesTombstones()}) in hard-delete mode, and the target has
     * {@code _elt_deleted} ({@code targetHasDeleted}; without it there are no tombstones). Every row
     * marked deleted goes, also one that an earlier run in soft-delete mode left: a hard-delete table
     * keeps no deleted rows once its snapshot is complete.
     */
    public static boolean purgesTombstones(DeleteMode configured, LoadBatch batch, boolean targetHasDeleted) {
        return configured == DeleteMode.HARD && batch.purgesTombstones() && targetHasDeleted;
    }

    /** Deletes the rows of {@code target} (its SQL name) marked deleted: the tombstones of a hard-delete table. */
    public static String purgeTombstones(Spelling spelling, String target) {
        return "DELETE FROM " + target + " WHERE " + spelling.quote(MetadataColumns.DELETED) + " = TRUE";
    }

    public boolean softDeletes() {
        return deleteMode == DeleteMode.SOFT;
    }

    /** {@code row._elt_op}. */
    public String op(String row) {
        return row + "." + spelling.quote(MetadataColumns.OP);
    }

    /** {@code row._elt_position}. */
    public String position(String row) {
        return row + "." + spelling.quote(MetadataColumns.POSITION);
    }

    /** {@code row._elt_unchanged}. */
    public String unchanged(String row) {
        return row + "." + spelling.quote(MetadataColumns.UNCHANGED);
    }

    /** Whether {@code row} is older than {@code than}: its position is lower, or it has none. */
    public String older(String row, String than) {
        String position = position(row);
        return "(" + position + " IS NULL OR " + position + " < " + position(than) + ")";
    }

    /** Whether {@code row} is a DELETE, in parentheses (a value: also written as {@code _elt_deleted}). */
    public String isDelete(String row) {
        return "(" + op(row) + " = " + DELETE + ")";
    }

    /** Whether {@code row} is not a DELETE, without parentheses (a WHERE term). */
    public String isNotDelete(String row) {
        return op(row) + " <> " + DELETE;
    }

    /** {@code a.k1 = b.k1 AND a.k2 = b.k2 …} over the key columns. */
    public String keyMatch(List<String> key, String a, String b) {
        return key.stream()
                .map(k -> a + "." + spelling.quote(k) + " = " + b + "." + spelling.quote(k))
                .collect(Collectors.joining(" AND "));
    }

    /**
     * Whether the winner {@code row} lacks the value of batch column {@code column}: it is a DELETE
     * ({@code softDeletes}), or its unchanged list names the column ({@code maybeUnchanged}).
     */
    public String lacks(String row, int column, boolean softDeletes, boolean maybeUnchanged) {
        List<String> conditions = new ArrayList<>();
        if (softDeletes) {
            conditions.add(op(row) + " = " + DELETE);
        }
        if (maybeUnchanged) {
            conditions.add(spelling.names(unchanged(row), column));
        }
        return "(" + String.join(" OR ", conditions) + ")";
    }

    /** Whether the winner {@code row} lacks any value: it is a DELETE, or it did not send some columns. */
    public String lacksAny(String row, boolean softDeletes, boolean anyUnchanged) {
        List<String> conditions = new ArrayList<>();
        if (softDeletes) {
            conditions.add(op(row) + " = " + DELETE);
        }
        if (anyUnchanged) {
            conditions.add(spelling.namesAny(unchanged(row)));
        }
        return "(" + String.join(" OR ", conditions) + ")";
    }

    /**
     * Whether the staged record {@code row}, not a DELETE, carries the value of column {@code column}:
     * always, unless its unchanged list may name it.
     */
    public String carries(String row, int column, boolean maybeUnchanged) {
        return maybeUnchanged ? spelling.omits(unchanged(row), column) : "TRUE";
    }

    /**
     * The value a written row gets in a target column that the batch lacks (dropped in the source):
     * NULL, as an insert leaves it; a soft DELETE keeps the target row's value.
     *
     * @param from the written record's alias
     * @param targetValue the target row's value of the column
     */
    public String droppedColumnValue(String from, String targetValue) {
        return softDeletes() ? spelling.onlyIf(isDelete(from), targetValue) : "NULL";
    }

    /**
     * Whether written rows carry {@code _elt_deleted}: in soft-delete mode, and into a target that has
     * the column (from an earlier run in soft-delete mode), so that a row deleted softly and inserted
     * again is not left marked deleted.
     */
    public boolean writesDeleted(List<String> targetColumns) {
        return softDeletes() || targetColumns.stream().anyMatch(MetadataColumns.DELETED::equalsIgnoreCase);
    }

    /**
     * The batch columns whose values some winner may lack, by index: the non-key columns that a
     * record did not send, and every non-key column when a soft DELETE is staged. Empty when no winner
     * can lack a value.
     */
    public List<Integer> columnsToResolve(BatchColumns batch, StagedRows staged) {
        boolean softDeletes = softDeletes() && staged.hasDeletes();
        List<Integer> unchanged = staged.unchangedColumns();
        List<Integer> columns = new ArrayList<>();
        for (int i = 0; i < batch.columns().size(); i++) {
            if (!batch.key().contains(batch.columns().get(i).name()) && (softDeletes || unchanged.contains(i))) {
                columns.add(i);
            }
        }
        return columns;
    }
}
