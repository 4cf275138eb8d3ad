package io.eltcdc.destination.redshift;

import static io.eltcdc.model.SqlIdentifiers.quote;

import io.eltcdc.destination.ColumnTypeChange;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.SchemaChangeRefusedException;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a Redshift target table fit a batch (autocommit, before the batch's transaction: Redshift
 * cannot alter a column's type inside a transaction block). Creates the schema and the table when
 * missing, with a PRIMARY KEY on the key (informational in Redshift: it helps the planner, the
 * merge keeps keys unique); renames a column the source renamed; adds the columns the table lacks
 * (never drops any); grows VARCHARs;
 * refuses any other type change with the table, column and both types named
 * ({@link RedshiftTypeChange}). Metadata columns: {@code _elt_op}, {@code _elt_position},
 * {@code _elt_synced_at}; {@code _elt_deleted} in soft-delete mode, {@code _elt_truncated} when long
 * strings are truncated (both {@code false} for rows already there).
 */
final class RedshiftTableDdl {
    static final String OP_TYPE = "VARCHAR(16)";
    static final String POSITION_TYPE = "NUMERIC(38,0)";
    static final String SYNCED_AT_TYPE = "TIMESTAMPTZ";

    private final DeleteMode deleteMode;
    private final LongStrings longStrings;

    RedshiftTableDdl(DeleteMode deleteMode, LongStrings longStrings) {
        this.deleteMode = deleteMode;
        this.longStrings = longStrings;
    }

    /** Ensures the table and returns the names of all its columns afterwards, in table order. */
    List<String> ensure(Connection c, TargetTable target, BatchColumns batch) throws SQLException {
        JdbcStatements.ensureSchema(c, null, target.schema());
        Map<String, ColumnTypeChange.Type> existing = columnsOf(c, target);
        if (existing.isEmpty()) {
            JdbcStatements.execute(c, createTable(target, batch));
            return new ArrayList<>(columnsOf(c, target).keySet());
        }
        List<String> present = new ArrayList<>(existing.keySet());
        for (Column column : batch.columns()) {
            String former = batch.renamedFrom().get(column.name());
            if (former != null
                    && !present.contains(column.name())
                    && present.contains(former)
                    && !batch.columnNames().contains(former)) {
                // Renamed in the source: the column keeps its values (a type change is followed below).
                JdbcStatements.execute(c, renameColumn(target, former, column.name()));
                present.set(present.indexOf(former), column.name());
                existing.put(column.name(), existing.remove(former));
            }
            String type = RedshiftTypes.columnType(column);
            ColumnTypeChange.Type current = existing.get(column.name());
            if (current == null) {
                JdbcStatements.execute(c, addColumn(target, column.name(), type));
                present.add(column.name());
            } else {
                followTypeChange(c, target, column, current, type);
            }
        }
        for (String[] metadata : metadataColumns(true)) {
            if (!present.contains(metadata[0])) {
                JdbcStatements.execute(c, addColumn(target, metadata[0], metadata[1]));
                present.add(metadata[0]);
            }
        }
        return present;
    }

    String createTable(TargetTable target, BatchColumns batch) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(target.sql())
                .append(" (");
        List<String> definitions = new ArrayList<>();
        for (Column column : batch.columns()) {
            definitions.add(quote(column.name()) + " " + RedshiftTypes.columnType(column));
        }
        for (String[] metadata : metadataColumns(false)) {
            definitions.add(quote(metadata[0]) + " " + metadata[1]);
        }
        if (batch.hasKey()) {
            definitions.add("PRIMARY KEY (" + SqlIdentifiers.list(batch.key()) + ")");
        }
        return sql.append(String.join(", ", definitions)).append(')').toString();
    }

    /** Name and type of each metadata column; flags with defaults where the column is added to a table with rows. */
    private List<String[]> metadataColumns(boolean adding) {
        List<String[]> columns = new ArrayList<>();
        columns.add(new String[] {MetadataColumns.OP, OP_TYPE});
        columns.add(new String[] {MetadataColumns.POSITION, POSITION_TYPE});
        columns.add(new String[] {MetadataColumns.SYNCED_AT, SYNCED_AT_TYPE});
        String flag = adding ? "BOOLEAN DEFAULT FALSE" : "BOOLEAN";
        if (deleteMode == DeleteMode.SOFT) {
            columns.add(new String[] {MetadataColumns.DELETED, flag});
        }
        if (longStrings == LongStrings.TRUNCATE) {
            columns.add(new String[] {RedshiftNames.TRUNCATED, flag});
        }
        return columns;
    }

    static String addColumn(TargetTable target, String column, String type) {
        return "ALTER TABLE " + target.sql() + " ADD COLUMN " + quote(column) + " " + type;
    }

    static String renameColumn(TargetTable target, String former, String column) {
        return "ALTER TABLE " + target.sql() + " RENAME COLUMN " + quote(former) + " TO " + quote(column);
    }

    static String growVarchar(TargetTable target, String column, String type) {
        return "ALTER TABLE " + target.sql() + " ALTER COLUMN " + quote(column) + " TYPE " + type;
    }

    private static void followTypeChange(
            Connection c, TargetTable target, Column column, ColumnTypeChange.Type existing, String wantedSql)
            throws SQLException {
        ColumnTypeChange.Type wanted = RedshiftTypeChange.parse(wantedSql);
        switch (RedshiftTypeChange.judge(existing, wanted)) {
            case SAME -> {}
            case GROW_VARCHAR -> JdbcStatements.execute(c, growVarchar(target, column.name(), wantedSql));
            case CANNOT_WIDEN ->
                throw refused(
                        target,
                        column,
                        existing,
                        wantedSql,
                        "which Redshift cannot change the column to: ALTER COLUMN … TYPE only makes a VARCHAR longer.");
            case INCOMPATIBLE ->
                throw refused(target, column, existing, wantedSql, "which does not hold every value of the old type.");
        }
    }

    private static SchemaChangeRefusedException refused(
            TargetTable target, Column column, ColumnTypeChange.Type existing, String wantedSql, String reason) {
        return new SchemaChangeRefusedException("column " + column.name() + " of " + target.sql() + " has type "
                + existing.text() + " in the destination, and the source now sends " + column.sourceType() + " ("
                + wantedSql + "), " + reason
                + " Re-sync the table: drop the target table and start the pipeline over (delete its state dir)");
    }

    /** The table's columns in table order, with their types; empty when the table does not exist. */
    static Map<String, ColumnTypeChange.Type> columnsOf(Connection c, TargetTable target) throws SQLException {
        Map<String, ColumnTypeChange.Type> columns = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type, character_maximum_length,"
                + " numeric_precision, numeric_scale FROM information_schema.columns"
                + " WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position")) {
            s.setString(1, target.schema());
            s.setString(2, target.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.put(
                            r.getString(1),
                            RedshiftTypeChange.ofCatalog(r.getString(2), integer(r, 3), integer(r, 4), integer(r, 5)));
                }
            }
        }
        return columns;
    }

    private static Integer integer(ResultSet r, int column) throws SQLException {
        int value = r.getInt(column);
        return r.wasNull() ? null : value;
    }
}
