package io.eltcdc.destination.redshift;

import static io.eltcdc.model.SqlIdentifiers.quote;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.MergeRules;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The statements that load one batch part into its Redshift table, as text (executed by
 * {@link RedshiftLoader}). Names are already lower-case ({@link RedshiftNames}).
 *
 * <ol>
 *   <li>COPY fills the session-temporary raw table from the load files ({@link #createRaw()},
 *       {@link CopySql}); {@link #fillStage()} converts it into the staging table of target types.
 *   <li>Winners: per key the record with the highest {@code _elt_position}
 *       ({@code ROW_NUMBER() OVER (PARTITION BY key ORDER BY _elt_position DESC)}); not needed
 *       when staging found every key once.
 *   <li>Values winners lack (columns the source did not send; in soft-delete mode every non-key
 *       column of a DELETE) are resolved as in {@link io.eltcdc.destination.sql.MergeSql}: from the latest
 *       earlier record of the key in the batch that carried the column and is newer than the
 *       target row, else from the target row ({@link #createResolved}).
 *   <li>DELETE the target rows that a winner with a higher position replaces or deletes, then
 *       INSERT the winners whose key has no target row left: together an upsert that keeps the
 *       target row where it is newer. Redshift's MERGE cannot take the position condition, and
 *       Redshift rewrites updated rows anyway. Counted as changed: rows deleted by a DELETE winner
 *       (hard-delete mode) and rows inserted.
 * </ol>
 * Everything runs in the batch's transaction together with the ledger row.
 */
final class RedshiftSql {
    static final String RAW = quote("_elt_raw");
    static final String STAGE = quote("_elt_stage");
    static final String WINNERS = quote("_elt_winners");
    static final String RESOLVED = quote("_elt_resolved");
    static final String KEPT = quote("_elt_kept");
    /**
     * The load's time, for {@code _elt_synced_at} and the ledger's {@code loaded_at}: the
     * transaction's start ({@code SYSDATE}, a TIMESTAMP in the session's time zone, which
     * {@link RedshiftSession} sets to UTC), read as UTC into a TIMESTAMPTZ. Not
     * {@code CURRENT_TIMESTAMP} or {@code NOW()}: AWS lists both among the leader node–only
     * functions, which fail in a statement that reads or writes a table.
     */
    static final String NOW = "(SYSDATE AT TIME ZONE 'UTC')";

    private static final String DELETE = MergeRules.DELETE;
    private static final String OP = quote(MetadataColumns.OP);
    private static final String POSITION = quote(MetadataColumns.POSITION);
    private static final String UNCHANGED = quote(MetadataColumns.UNCHANGED);
    private static final String TRUNCATED = quote(RedshiftNames.TRUNCATED);

    private final TargetTable target;
    private final BatchColumns batch;
    private final DeleteMode deleteMode;
    private final MergeRules rules;
    private final boolean writesDeleted;
    private final boolean writesTruncated;
    private final List<String> droppedColumns;

    /**
     * @param batch the part's columns, lower-cased
     * @param targetColumns every column of the target table after its DDL: which metadata columns to
     *     write, and which columns the source dropped (kept by soft DELETEs)
     */
    RedshiftSql(TargetTable target, BatchColumns batch, DeleteMode deleteMode, List<String> targetColumns) {
        this.target = Objects.requireNonNull(target, "target");
        this.batch = Objects.requireNonNull(batch, "batch");
        this.deleteMode = Objects.requireNonNull(deleteMode, "deleteMode");
        this.rules = new MergeRules(MergeRules.COMMA_SEPARATED, deleteMode);
        this.writesDeleted = rules.writesDeleted(targetColumns);
        this.writesTruncated = targetColumns.contains(RedshiftNames.TRUNCATED);
        this.droppedColumns = targetColumns.stream()
                .filter(c -> !batch.columnNames().contains(c) && !RedshiftNames.isMetadata(c))
                .toList();
    }

    BatchColumns batch() {
        return batch;
    }

    TargetTable target() {
        return target;
    }

    boolean deleteModeIsHard() {
        return deleteMode == DeleteMode.HARD;
    }

    private boolean soft() {
        return deleteMode == DeleteMode.SOFT;
    }

    // ---- raw and staging tables

    String createRaw() {
        String columns = new LoadFileLayout(batch)
                .rawColumns().stream().map(c -> quote(c[0]) + " " + c[1]).collect(Collectors.joining(", "));
        return "CREATE TEMP TABLE " + RAW + " (" + columns + ")";
    }

    /** The staging table's columns: the batch's, then {@code _elt_op}, {@code _elt_position}, {@code _elt_unchanged}, {@code _elt_truncated}. */
    List<String> stageColumns() {
        List<String> names = new ArrayList<>(batch.columnNames());
        names.addAll(List.of(
                MetadataColumns.OP, MetadataColumns.POSITION, MetadataColumns.UNCHANGED, RedshiftNames.TRUNCATED));
        return names;
    }

    String createStage() {
        StringBuilder columns = new StringBuilder();
        for (Column column : batch.columns()) {
            columns.append(quote(column.name()))
                    .append(' ')
                    .append(RedshiftTypes.columnType(column))
                    .append(", ");
        }
        columns.append(OP)
                .append(' ')
                .append(LoadFileLayout.OP_TYPE)
                .append(", ")
                .append(POSITION)
                .append(' ')
                .append(RedshiftTableDdl.POSITION_TYPE)
                .append(", ")
                .append(UNCHANGED)
                .append(' ')
                .append(RedshiftTypes.TEXT)
                .append(", ")
                .append(TRUNCATED)
                .append(" BOOLEAN");
        return "CREATE TEMP TABLE " + STAGE + " (" + columns + ")";
    }

    /** Converts the raw table's values into the staging table's types. */
    String fillStage() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < batch.columns().size(); i++) {
            values.add(RedshiftTypes.fromRaw(batch.columns().get(i), "r." + quote(LoadFileLayout.field(i))));
        }
        values.add("r." + OP);
        values.add("CAST(r." + POSITION + " AS " + RedshiftTableDdl.POSITION_TYPE + ")");
        values.add("r." + UNCHANGED);
        values.add("COALESCE(r." + TRUNCATED + ", FALSE)");
        return "INSERT INTO " + STAGE + " (" + SqlIdentifiers.list(stageColumns()) + ") SELECT "
                + String.join(", ", values) + " FROM " + RAW + " AS r";
    }

    /** Drops the session-temporary tables (in the transaction: none outlives the batch part). */
    List<String> dropTemporaryTables() {
        return List.of(RAW, STAGE, WINNERS, RESOLVED, KEPT).stream()
                .map(t -> "DROP TABLE IF EXISTS " + t)
                .toList();
    }

    // ---- merge

    /** Keeps the record with the highest position per key. */
    String createWinners() {
        return "CREATE TEMP TABLE " + WINNERS + " AS SELECT " + SqlIdentifiers.list(stageColumns())
                + " FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY " + SqlIdentifiers.list(batch.key())
                + " ORDER BY " + POSITION + " DESC) AS \"_elt_rn\" FROM " + STAGE + ") AS ranked WHERE \"_elt_rn\" = 1";
    }

    /**
     * The winners with the values they lack filled in, as a new table (a SELECT with joins, which
     * Redshift runs better than an UPDATE); null when no winner can lack a value ({@code staged} has
     * no unchanged columns, and no DELETEs or hard-delete mode).
     *
     * @param winners the relation of the winners: {@link #WINNERS}, or {@link #STAGE} when keys are distinct
     */
    String createResolved(String winners, StagedRows staged) {
        boolean softDeletes = soft() && staged.hasDeletes();
        List<Integer> unchanged = staged.unchangedColumns();
        List<Integer> columns = rules.columnsToResolve(batch, staged);
        if (columns.isEmpty()) {
            return null;
        }
        boolean fill = !staged.keysDistinct(); // a key's winner may follow records of the key that have the values
        List<String> select = new ArrayList<>();
        for (int i = 0; i < batch.columns().size(); i++) {
            String column = quote(batch.columns().get(i).name());
            if (!columns.contains(i)) {
                select.add("w." + column);
                continue;
            }
            String resolved = fill
                    ? "CASE WHEN f." + quote("_elt_has_" + i) + " = 1 THEN f." + quote("_elt_v_" + i) + " ELSE t."
                            + column + " END"
                    : "t." + column;
            select.add("CASE WHEN " + rules.lacks("w", i, softDeletes, unchanged.contains(i)) + " THEN " + resolved
                    + " ELSE w."
                    + column + " END AS " + column);
        }
        select.add("w." + OP);
        select.add("w." + POSITION);
        select.add("w." + UNCHANGED);
        if (writesTruncated) { // a value taken from a truncated row may be truncated too
            select.add("CASE WHEN " + rules.lacksAny("w", softDeletes, !unchanged.isEmpty()) + " THEN (w." + TRUNCATED
                    + " OR COALESCE(t."
                    + TRUNCATED + ", FALSE)" + (fill ? " OR COALESCE(f.\"_elt_trunc\" = 1, FALSE)" : "") + ") ELSE w."
                    + TRUNCATED + " END AS " + TRUNCATED);
        } else {
            select.add("w." + TRUNCATED);
        }
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE ")
                .append(RESOLVED)
                .append(" AS SELECT ")
                .append(String.join(", ", select))
                .append(" FROM ")
                .append(winners)
                .append(" AS w LEFT JOIN ")
                .append(target.sql())
                .append(" AS t ON ")
                .append(keyMatch("t", "w"));
        if (fill) {
            sql.append(" LEFT JOIN (")
                    .append(fillQuery(winners, columns, softDeletes, unchanged))
                    .append(") AS f ON ")
                    .append(keyMatch("f", "w"));
        }
        return sql.toString();
    }

    /**
     * Per key whose winner lacks values: for each column, whether an earlier record of the batch
     * (not a DELETE, newer than the target row) carried it, and the latest such value (NULL values
     * count). Window functions, as Redshift has no ordered aggregates.
     */
    private String fillQuery(String winners, List<Integer> columns, boolean softDeletes, List<Integer> unchanged) {
        String partition = "PARTITION BY " + SqlIdentifiers.list("s", batch.key());
        List<String> select = new ArrayList<>();
        for (String key : batch.key()) {
            select.add("s." + quote(key));
        }
        for (int i : columns) {
            String carries = rules.carries("s", i, unchanged.contains(i));
            String carried = "CASE WHEN " + carries + " THEN 1 ELSE 0 END";
            select.add("MAX(" + carried + ") OVER (" + partition + ") AS " + quote("_elt_has_" + i));
            select.add("FIRST_VALUE(s." + quote(batch.columns().get(i).name()) + ") OVER (" + partition + " ORDER BY "
                    + carried + " DESC, s." + POSITION
                    + " DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS " + quote("_elt_v_" + i));
        }
        if (writesTruncated) {
            select.add(
                    "MAX(CASE WHEN s." + TRUNCATED + " THEN 1 ELSE 0 END) OVER (" + partition + ") AS \"_elt_trunc\"");
        }
        select.add("ROW_NUMBER() OVER (" + partition + " ORDER BY s." + POSITION + " DESC) AS \"_elt_rn\"");
        return "SELECT * FROM (SELECT " + String.join(", ", select) + " FROM " + STAGE + " AS s JOIN " + winners
                + " AS w3 ON " + keyMatch("s", "w3") + " LEFT JOIN " + target.sql() + " AS t3 ON " + keyMatch("t3", "s")
                + " WHERE " + rules.lacksAny("w3", softDeletes, !unchanged.isEmpty()) + " AND " + rules.isNotDelete("s")
                + " AND s." + POSITION + " < w3." + POSITION + " AND " + rules.older("t3", "s")
                + ") AS f0 WHERE f0.\"_elt_rn\" = 1";
    }

    /**
     * Soft-delete mode, when the target has columns the source dropped: their values in the rows
     * that DELETE winners replace, saved before the delete (a soft DELETE keeps the last known
     * values); null when not needed.
     */
    String createKept(String winners) {
        if (!soft() || droppedColumns.isEmpty()) {
            return null;
        }
        return "CREATE TEMP TABLE " + KEPT + " AS SELECT " + SqlIdentifiers.list("t", batch.key()) + ", "
                + SqlIdentifiers.list("t", droppedColumns) + " FROM " + target.sql() + " AS t JOIN " + winners
                + " AS w ON " + keyMatch("t", "w") + " WHERE " + rules.op("w") + " = " + DELETE + " AND "
                + older("t", "w");
    }

    /**
     * Hard-delete mode: deletes the target rows whose key's winner is a DELETE with a higher
     * position. (DELETE … USING takes no aliases in Redshift: tables are named in full.)
     */
    String deleteDeleted(String winners) {
        if (soft()) {
            throw new IllegalStateException("soft-delete mode deletes no rows");
        }
        return deleteOlder(winners, rules.op(winners) + " = " + DELETE);
    }

    /**
     * Deletes the target rows that a winner with a higher position replaces: every winner but a
     * DELETE in hard-delete mode, every winner in soft-delete mode (a DELETE becomes a tombstone).
     */
    String deleteReplaced(String winners) {
        return deleteOlder(winners, soft() ? null : rules.isNotDelete(winners));
    }

    private String deleteOlder(String winners, String condition) {
        String t = target.sql();
        return "DELETE FROM " + t + " USING " + winners + " WHERE " + keyMatch(t, winners)
                + (condition == null ? "" : " AND " + condition) + " AND " + older(t, winners);
    }

    /**
     * Inserts the winners whose key has no target row (left): new keys, and keys whose older row
     * {@link #deleteReplaced} removed. DELETE winners only in soft-delete mode, as tombstones.
     */
    String insertWinners(String winners, boolean kept) {
        List<String> columns = insertColumns();
        List<String> values = new ArrayList<>(selectColumns("w"));
        if (kept) {
            columns.addAll(droppedColumns);
            values.addAll(droppedColumns.stream().map(c -> "k." + quote(c)).toList());
        }
        return "INSERT INTO " + target.sql() + " (" + SqlIdentifiers.list(columns) + ") SELECT "
                + String.join(", ", values) + " FROM " + winners + " AS w"
                + (kept ? " LEFT JOIN " + KEPT + " AS k ON " + keyMatch("k", "w") : "")
                + " WHERE " + (soft() ? "" : rules.isNotDelete("w") + " AND ")
                + "NOT EXISTS (SELECT 1 FROM " + target.sql() + " AS t WHERE " + keyMatch("t", "w") + ")";
    }

    /** Appends every staged record: the merge of a table without key. */
    String append() {
        return "INSERT INTO " + target.sql() + " (" + SqlIdentifiers.list(insertColumns()) + ") SELECT "
                + String.join(", ", selectColumns("s")) + " FROM " + STAGE + " AS s";
    }

    private List<String> insertColumns() {
        List<String> names = new ArrayList<>(batch.columnNames());
        names.addAll(MetadataColumns.ALL);
        if (writesDeleted) {
            names.add(MetadataColumns.DELETED);
        }
        if (writesTruncated) {
            names.add(RedshiftNames.TRUNCATED);
        }
        return names;
    }

    private List<String> selectColumns(String alias) {
        List<String> values = new ArrayList<>();
        for (String column : batch.columnNames()) {
            values.add(alias + "." + quote(column));
        }
        values.add(alias + "." + OP);
        values.add(alias + "." + POSITION);
        values.add(NOW);
        if (writesDeleted) {
            values.add(rules.isDelete(alias));
        }
        if (writesTruncated) {
            values.add(alias + "." + TRUNCATED);
        }
        return values;
    }

    private String keyMatch(String a, String b) {
        return rules.keyMatch(batch.key(), a, b);
    }

    private String older(String row, String than) {
        return rules.older(row, than);
    }
}
