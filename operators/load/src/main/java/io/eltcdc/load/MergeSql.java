package io.eltcdc.load;

import static io.eltcdc.load.SqlIdentifiers.quote;

import io.eltcdc.model.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements that stage a batch and merge it into its target table, for one batch. The SQL is
 * common to the JDBC destinations (DuckDB and PostgreSQL both have {@code DELETE … USING},
 * {@code INSERT … ON CONFLICT} and {@code MERGE}); type names, temporary tables and the fastest
 * "latest record per key" query come from the {@link SqlDialect}.
 *
 * <p>Rules: per key the record with the highest {@code _elt_position} wins ("winners"); a target
 * row goes when its key's winner is a DELETE with a higher position; a winner that is not a DELETE
 * replaces the target row when its position is higher, or is inserted when there is none.
 */
public final class MergeSql {
    /** Session-temporary table holding every staged record of the batch. */
    public static final String STAGE = "_elt_stage";
    /** Session-temporary table holding the winning record per key. */
    public static final String WINNERS = "_elt_winners";
    private static final String DELETE = "'DELETE'";

    private final SqlDialect dialect;
    private final TargetTable target;
    private final BatchColumns batch;
    /** The relation the merge statements read the winners from. */
    private final String winners;

    public MergeSql(SqlDialect dialect, TargetTable target, BatchColumns batch) {
        this(dialect, target, batch, dialect.tempTable(WINNERS));
    }

    private MergeSql(SqlDialect dialect, TargetTable target, BatchColumns batch, String winners) {
        this.dialect = dialect;
        this.target = target;
        this.batch = batch;
        this.winners = winners;
    }

    /**
     * The same statements reading the staging table as the winners: for a batch whose keys are
     * distinct ({@link StagedRows#keysDistinct()}), where every staged record is its key's winner and
     * {@link #createWinners()} would only copy the table.
     */
    public MergeSql stageAsWinners() {
        return new MergeSql(dialect, target, batch, stageTable());
    }

    public TargetTable target() {
        return target;
    }

    public BatchColumns batch() {
        return batch;
    }

    /** The staging table's columns: the batch's columns, then {@code _elt_op} and {@code _elt_position}. */
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
            columns.append(quote(column.name())).append(' ').append(dialect.columnType(column)).append(", ");
        }
        columns.append(quote(MetadataColumns.OP)).append(' ').append(dialect.opType()).append(", ")
                .append(quote(MetadataColumns.POSITION)).append(' ').append(dialect.positionType());
        return dialect.createTempTable(STAGE, columns.toString());
    }

    /** Keeps the record with the highest position per key. */
    public String createWinners() {
        return dialect.createTempTableAs(WINNERS, dialect.latestPerKey(stageTable(), SqlIdentifiers.list(batch.key()),
                quote(MetadataColumns.POSITION)));
    }

    /** The relation the winners are read from: the winners table, or the staging table ({@link #stageAsWinners()}). */
    public String winnersTable() {
        return winners;
    }

    /** Deletes target rows whose key's winner is a DELETE with a higher position. */
    public String deleteDeleted() {
        return "DELETE FROM " + target.sql() + " AS t USING " + winnersTable() + " AS w WHERE " + keyMatch()
                + " AND w." + quote(MetadataColumns.OP) + " = " + DELETE + " AND " + older("t", "w");
    }

    /**
     * A query of one boolean: whether a target row has a key in {@code range} (a key of one integer
     * column). Zone maps (DuckDB) and the primary key (PostgreSQL) answer it without reading rows.
     */
    public String targetHasKeyIn(StagedRows.KeyRange range) {
        return "SELECT EXISTS (SELECT 1 FROM " + target.sql() + " WHERE " + quote(batch.key().get(0)) + " BETWEEN "
                + range.min() + " AND " + range.max() + ")";
    }

    /** Inserts every winner other than a DELETE: the merge into a target that has none of the batch's keys (no joins needed). */
    public String insertWinners() {
        return "INSERT INTO " + target.sql() + " (" + insertColumns() + ") SELECT " + selectColumns("w")
                + " FROM " + winnersTable() + " AS w WHERE w." + quote(MetadataColumns.OP) + " <> " + DELETE;
    }

    /**
     * Inserts winners other than DELETEs, updating the target row of the same key when the winner's
     * position is higher. Needs a primary key (or unique index) on the key columns. Target columns
     * the batch lacks (dropped in the source) are set to NULL, as an insert would leave them.
     */
    public String upsert(List<String> targetColumns) {
        List<String> set = assignments("EXCLUDED", targetColumns);
        set.add(quote(MetadataColumns.SYNCED_AT) + " = EXCLUDED." + quote(MetadataColumns.SYNCED_AT));
        return "INSERT INTO " + target.sql() + " AS t (" + insertColumns() + ") SELECT " + selectColumns("w")
                + " FROM " + winnersTable() + " AS w WHERE w." + quote(MetadataColumns.OP) + " <> " + DELETE
                + " ON CONFLICT (" + SqlIdentifiers.list(batch.key()) + ") DO UPDATE SET "
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
        set.add(quote(MetadataColumns.SYNCED_AT) + " = CURRENT_TIMESTAMP");
        String op = "w." + quote(MetadataColumns.OP);
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
            if (!batch.columnNames().contains(column) && !MetadataColumns.isMetadata(column)) {
                set.add(quote(column) + " = NULL");
            }
        }
        set.add(quote(MetadataColumns.OP) + " = " + from + "." + quote(MetadataColumns.OP));
        set.add(quote(MetadataColumns.POSITION) + " = " + from + "." + quote(MetadataColumns.POSITION));
        return set;
    }

    /** Appends every staged record: the merge of a table without key. */
    public String append() {
        return "INSERT INTO " + target.sql() + " (" + insertColumns() + ") SELECT " + selectColumns("s")
                + " FROM " + stageTable() + " AS s";
    }

    private String insertColumns() {
        List<String> names = new ArrayList<>(batch.columnNames());
        names.addAll(MetadataColumns.ALL);
        return SqlIdentifiers.list(names);
    }

    private String selectColumns(String alias) {
        return SqlIdentifiers.list(alias, stageColumns()) + ", CURRENT_TIMESTAMP";
    }

    /** The join condition of target rows ({@code t}) and winners ({@code w}) of the same key. */
    public String keyMatch() {
        return batch.key().stream().map(k -> "t." + quote(k) + " = w." + quote(k)).collect(Collectors.joining(" AND "));
    }

    /** The row's position is lower (a row without position, e.g. of a table made before elt-cdc, counts as lowest). */
    private static String older(String row, String than) {
        String position = row + "." + quote(MetadataColumns.POSITION);
        return "(" + position + " IS NULL OR " + position + " < " + than + "." + quote(MetadataColumns.POSITION) + ")";
    }
}
