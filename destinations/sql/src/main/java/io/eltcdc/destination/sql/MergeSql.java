package io.eltcdc.destination.sql;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.destination.staged.StagedRows;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that stage a batch and merge it into its target table, for one batch. The SQL is
 * common to the JDBC destinations (DuckDB and PostgreSQL both have {@code DELETE … USING},
 * {@code INSERT … ON CONFLICT} and {@code MERGE}); type names, temporary tables and the fastest
 * "latest record per key" query come from the {@link SqlDialect}.
 *
 * <p>Rules: per key the record with the highest {@code _elt_position} wins ("winners"); a target
 * row goes when its key's winner is a DELETE with a higher position; a winner that is not a DELETE
 * replaces the target row when its position is higher, or is inserted when there is none.
 *
 * <p>In {@link DeleteMode#SOFT soft-delete mode} a DELETE winner is written like any other winner,
 * with {@code _elt_deleted = true} and the row's last known values instead of its own (a
 * PostgreSQL DELETE carries only the key); every other winner writes {@code _elt_deleted = false}.
 *
 * <p>Values a winner lacks (columns the source did not send, see
 * {@link io.eltcdc.model.ChangeRecord#unchangedColumns()}, and in soft-delete mode every non-key
 * column of a DELETE) are filled in before the merge by {@link #resolveMissingValues}: from the
 * latest earlier record of the key in the batch that carried the column and is newer than the
 * target row, else from the target row, else NULL. The merge statements then write winners as
 * they are, so batches without missing values run exactly as before.
 *
 * <p>Every name (columns, metadata columns, the statements' own aliases) is written as the
 * destination keeps it ({@link SqlDialect#identifier}), quoted; the batch's columns and the target's
 * columns a caller passes are names of that form already.
 */
public final class MergeSql {
    /** Session-temporary table holding every staged record of the batch. */
    public static final String STAGE = "_elt_stage";
    /** Session-temporary table holding the winning record per key. */
    public static final String WINNERS = "_elt_winners";

    private static final String DELETE = MergeRules.DELETE;

    private final SqlDialect dialect;
    private final TargetTable target;
    private final BatchColumns batch;
    /** The relation the merge statements read the winners from. */
    private final String winners;

    private final MergeRules rules;
    /** Whether rows are written with {@code _elt_deleted}: soft-delete mode, or a target that has the column. */
    private final boolean writesDeleted;

    public MergeSql(SqlDialect dialect, TargetTable target, BatchColumns batch, DeleteMode deleteMode) {
        this(dialect, target, batch, dialect.tempTable(WINNERS), deleteMode, deleteMode == DeleteMode.SOFT);
    }

    private MergeSql(
            SqlDialect dialect,
            TargetTable target,
            BatchColumns batch,
            String winners,
            DeleteMode deleteMode,
            boolean writesDeleted) {
        this.dialect = dialect;
        this.target = target;
        this.batch = batch;
        this.winners = winners;
        this.rules = new MergeRules(MergeRules.commaSeparated(dialect::identifier), deleteMode);
        this.writesDeleted = writesDeleted;
    }

    /**
     * The same statements reading the staging table as the winners: for a batch whose keys are
     * distinct ({@link StagedRows#keysDistinct()}), where every staged record is its key's winner and
     * {@link #createWinners()} would only copy the table.
     */
    public MergeSql stageAsWinners() {
        return new MergeSql(dialect, target, batch, stageTable(), deleteMode(), writesDeleted);
    }

    /**
     * The same statements for a target that has (or lacks) the {@code _elt_deleted} column: a
     * target of hard-delete mode that has it (from an earlier run in soft-delete mode) gets
     * {@code false} in the rows it writes, so that a row deleted softly and inserted again is not
     * left marked deleted.
     */
    public MergeSql withDeletedColumn(boolean targetHasIt) {
        return new MergeSql(dialect, target, batch, winners, deleteMode(), soft() || targetHasIt);
    }

    public DeleteMode deleteMode() {
        return rules.deleteMode();
    }

    private boolean soft() {
        return rules.softDeletes();
    }

    public TargetTable target() {
        return target;
    }

    public BatchColumns batch() {
        return batch;
    }

    /**
     * The staging table's columns: the batch's columns, then {@code _elt_op} and {@code _elt_position}
     * (as {@link MetadataColumns} names them: SQL writes them through {@link SqlDialect#identifier}).
     */
    public List<String> stageColumns() {
        List<String> names = new ArrayList<>(batch.columnNames());
        names.add(MetadataColumns.OP);
        names.add(MetadataColumns.POSITION);
        return names;
    }

    public String stageTable() {
        return dialect.tempTable(STAGE);
    }

    public String createStage() {
        StringBuilder columns = new StringBuilder();
        for (Column column : batch.columns()) {
            columns.append(quote(column.name()))
                    .append(' ')
                    .append(dialect.columnType(column))
                    .append(", ");
        }
        columns.append(quote(MetadataColumns.OP))
                .append(' ')
                .append(dialect.opType())
                .append(", ")
                .append(quote(MetadataColumns.POSITION))
                .append(' ')
                .append(dialect.positionType());
        return dialect.createTempTable(STAGE, columns.toString());
    }

    /**
     * Adds the {@link MetadataColumns#UNCHANGED} column to the staging table, whose rows so far get
     * NULL: a stager does so when it meets the first record with unchanged columns, so that batches
     * without any stage no column more.
     */
    public String addUnchangedColumnToStage() {
        return "ALTER TABLE " + stageTable() + " ADD COLUMN " + quote(MetadataColumns.UNCHANGED) + " "
                + dialect.opType();
    }

    /** Drops the session-temporary tables, so that another part of the same batch can stage in the same transaction. */
    public List<String> dropTemporaryTables() {
        return List.of("DROP TABLE IF EXISTS " + stageTable(), "DROP TABLE IF EXISTS " + dialect.tempTable(WINNERS));
    }

    /** Keeps the record with the highest position per key. */
    public String createWinners() {
        return dialect.createTempTableAs(
                WINNERS, dialect.latestPerKey(stageTable(), list(batch.key()), quote(MetadataColumns.POSITION)));
    }

    /** The relation the winners are read from: the winners table, or the staging table ({@link #stageAsWinners()}). */
    public String winnersTable() {
        return winners;
    }

    /**
     * Fills in the values that winners lack (see the class comment), in the winners table, before
     * the merge; null when no winner can lack any ({@code staged} has no unchanged columns, and no
     * DELETEs or hard-delete mode). One {@code UPDATE} of the winners concerned, joined with their
     * target rows and, when keys repeat in the batch, with the latest earlier record per key and
     * column that carried a value.
     */
    public String resolveMissingValues(StagedRows staged) {
        return MissingValuesSql.of(this, dialect, rules, soft(), staged);
    }

    /** Deletes target rows whose key's winner is a DELETE with a higher position (hard-delete mode only). */
    public String deleteDeleted() {
        if (soft()) {
            throw new IllegalStateException("soft-delete mode deletes no rows");
        }
        return "DELETE FROM " + target.sql() + " AS t USING " + winnersTable() + " AS w WHERE " + keyMatch() + " AND "
                + rules.op("w") + " = " + DELETE + " AND " + older("t", "w");
    }

    /**
     * A query of one boolean: whether a target row has a key in {@code range} (a key of one integer
     * column). Zone maps (DuckDB) and the primary key (PostgreSQL) answer it without reading rows.
     */
    public String targetHasKeyIn(StagedRows.KeyRange range) {
        return "SELECT EXISTS (SELECT 1 FROM " + target.sql() + " WHERE "
                + quote(batch.key().get(0)) + " BETWEEN " + range.min() + " AND " + range.max() + ")";
    }

    /**
     * Inserts every winner other than a DELETE (soft-delete mode: every winner, DELETEs as
     * tombstones): the merge into a target that has none of the batch's keys (no joins needed).
     */
    public String insertWinners() {
        return "INSERT INTO " + target.sql() + " (" + insertColumns() + ") SELECT " + selectColumns("w") + " FROM "
                + winnersTable() + " AS w" + writtenWinners("w");
    }

    /** The WHERE clause that leaves out the winners that are not written: DELETEs, in hard-delete mode. */
    private String writtenWinners(String alias) {
        return soft() ? "" : " WHERE " + rules.isNotDelete(alias);
    }

    /**
     * Inserts winners other than DELETEs, updating the target row of the same key when the winner's
     * position is higher. Needs a primary key (or unique index) on the key columns. Target columns
     * the batch lacks (dropped in the source) are set to NULL, as an insert would leave them.
     */
    public String upsert(List<String> targetColumns) {
        List<String> set = assignments("EXCLUDED", targetColumns);
        set.add(quote(MetadataColumns.SYNCED_AT) + " = EXCLUDED." + quote(MetadataColumns.SYNCED_AT));
        if (writesDeleted) {
            set.add(quote(MetadataColumns.DELETED) + " = EXCLUDED." + quote(MetadataColumns.DELETED));
        }
        return "INSERT INTO " + target.sql() + " AS t (" + insertColumns() + ") SELECT " + selectColumns("w")
                + " FROM " + winnersTable() + " AS w" + writtenWinners("w")
                + " ON CONFLICT (" + list(batch.key()) + ") DO UPDATE SET "
                + String.join(", ", set)
                + " WHERE " + older("t", "EXCLUDED");
    }

    /**
     * The whole merge as one {@code MERGE} statement (one join of target and winners instead of the
     * delete, delete and anti-join): a winner that is a DELETE removes an older target row, another
     * winner replaces an older target row column by column or is inserted where its key is absent.
     * Target columns the batch lacks are set to NULL, as an insert would leave them. Needs winners
     * that are unique per key, which they are.
     */
    public String mergeInto(List<String> targetColumns) {
        List<String> set = assignments("w", targetColumns);
        set.add(quote(MetadataColumns.SYNCED_AT) + " = " + dialect.loadTime());
        if (writesDeleted) {
            set.add(quote(MetadataColumns.DELETED) + " = " + isDelete("w"));
        }
        String op = rules.op("w");
        if (soft()) { // a DELETE winner updates or inserts like any other
            return "MERGE INTO " + target.sql() + " AS t USING " + winnersTable() + " AS w ON (" + keyMatch() + ")"
                    + " WHEN MATCHED AND " + older("t", "w") + " THEN UPDATE SET " + String.join(", ", set)
                    + " WHEN NOT MATCHED THEN INSERT (" + insertColumns() + ") VALUES (" + selectColumns("w") + ")";
        }
        return "MERGE INTO " + target.sql() + " AS t USING " + winnersTable() + " AS w ON (" + keyMatch() + ")"
                + " WHEN MATCHED AND " + op + " = " + DELETE + " AND " + older("t", "w") + " THEN DELETE"
                + " WHEN MATCHED AND " + op + " <> " + DELETE + " AND " + older("t", "w")
                + " THEN UPDATE SET " + String.join(", ", set)
                + " WHEN NOT MATCHED AND " + op + " <> " + DELETE
                + " THEN INSERT (" + insertColumns() + ") VALUES (" + selectColumns("w") + ")";
    }

    /**
     * The SET list of an update from the row {@code from}: its non-key columns and operation and
     * position; NULL for target columns the batch lacks (dropped in the source), as an insert would
     * leave them. The caller adds {@code _elt_synced_at}.
     */
    private List<String> assignments(String from, List<String> targetColumns) {
        List<String> set = new ArrayList<>();
        for (String column : batch.columnNames()) {
            if (!batch.key().contains(column)) {
                set.add(quote(column) + " = " + from + "." + quote(column));
            }
        }
        for (String column : targetColumns) {
            if (!batch.columnNames().contains(column) && !MetadataColumns.isMetadata(column, dialect::identifier)) {
                // A soft DELETE keeps the last known value there too.
                set.add(quote(column) + " = " + rules.droppedColumnValue(from, "t." + quote(column)));
            }
        }
        set.add(quote(MetadataColumns.OP) + " = " + from + "." + quote(MetadataColumns.OP));
        set.add(quote(MetadataColumns.POSITION) + " = " + from + "." + quote(MetadataColumns.POSITION));
        return set;
    }

    /** Appends every staged record: the merge of a table without key. */
    public String append() {
        return "INSERT INTO " + target.sql() + " (" + insertColumns() + ") SELECT " + selectColumns("s") + " FROM "
                + stageTable() + " AS s";
    }

    private String insertColumns() {
        List<String> names = new ArrayList<>(batch.columnNames());
        names.addAll(MetadataColumns.ALL);
        if (writesDeleted) {
            names.add(MetadataColumns.DELETED);
        }
        return list(names);
    }

    private String selectColumns(String alias) {
        return list(alias, stageColumns()) + ", " + dialect.loadTime() + (writesDeleted ? ", " + isDelete(alias) : "");
    }

    private String isDelete(String alias) {
        return rules.isDelete(alias);
    }

    /** The name {@code name} in SQL: quoted, as the destination keeps it ({@link SqlDialect#identifier}). */
    String quote(String name) {
        return SqlIdentifiers.quote(dialect.identifier(name));
    }

    /** {@code "a", "b"}, each {@link #quote quoted}. */
    String list(List<String> names) {
        return String.join(", ", names.stream().map(this::quote).toList());
    }

    /** {@code prefix."a", prefix."b"}, each {@link #quote quoted}. */
    String list(String prefix, List<String> names) {
        return String.join(
                ", ", names.stream().map(n -> prefix + "." + quote(n)).toList());
    }

    /** The join condition of target rows ({@code t}) and winners ({@code w}) of the same key. */
    public String keyMatch() {
        return keyMatch("t", "w");
    }

    String keyMatch(String a, String b) {
        return rules.keyMatch(batch.key(), a, b);
    }

    private String older(String row, String than) {
        return rules.older(row, than);
    }
}
