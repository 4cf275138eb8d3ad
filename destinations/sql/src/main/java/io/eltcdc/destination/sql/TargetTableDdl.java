package io.eltcdc.destination.sql;

import io.eltcdc.destination.ColumnTypeChange;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.SchemaChangeRefusedException;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the target table fit a batch: creates the schema and the table when missing, and adds the
 * batch's columns (and metadata columns) the table lacks, and widens columns whose type the source
 * widened ({@link ColumnTypeChange}); a type change it cannot apply is refused with the table,
 * column and both types named. Columns are never dropped. In
 * soft-delete mode the metadata include {@code _elt_deleted}; added to an existing table, it is
 * {@code false} for the rows there.
 */
public final class TargetTableDdl {
    private final SqlDialect dialect;
    private final DeleteMode deleteMode;

    public TargetTableDdl(SqlDialect dialect) {
        this(dialect, DeleteMode.HARD);
    }

    public TargetTableDdl(SqlDialect dialect, DeleteMode deleteMode) {
        this.dialect = dialect;
        this.deleteMode = deleteMode;
    }

    /** Ensures the table and returns the names of all its columns afterwards, in table order. */
    public List<String> ensure(Connection c, TargetTable target, BatchColumns batch) throws SQLException {
        JdbcStatements.ensureSchema(c, target.catalog(), target.schema());
        List<String> existing = columnsOf(c, target);
        if (existing.isEmpty()) {
            JdbcStatements.execute(c, createTable(target, batch));
            return columnsOf(c, target);
        }
        Set<String> present = new LinkedHashSet<>(existing);
        Map<String, ColumnTypeChange.Type> types = null;
        for (Column column : batch.columns()) {
            if (renameIfRenamedInSource(c, target, present, column.name(), batch)) {
                continue;
            }
            if (present.add(column.name())) {
                addColumn(c, target, column.name(), dialect.columnType(column));
                continue;
            }
            if (types == null) {
                types = columnTypesOf(c, target);
            }
            followTypeChange(c, target, column, types.get(column.name()));
        }
        addIfMissing(c, target, present, MetadataColumns.OP, dialect.opType());
        addIfMissing(c, target, present, MetadataColumns.POSITION, dialect.positionType());
        addIfMissing(c, target, present, MetadataColumns.SYNCED_AT, dialect.syncedAtType());
        if (deleteMode == DeleteMode.SOFT) {
            addIfMissing(c, target, present, MetadataColumns.DELETED, dialect.deletedType() + " DEFAULT false");
        }
        return new ArrayList<>(present);
    }

    String createTable(TargetTable target, BatchColumns batch) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(target.sql())
                .append(" (");
        for (Column column : batch.columns()) {
            sql.append(SqlIdentifiers.quote(column.name()))
                    .append(' ')
                    .append(dialect.columnType(column))
                    .append(", ");
        }
        sql.append(SqlIdentifiers.quote(MetadataColumns.OP))
                .append(' ')
                .append(dialect.opType())
                .append(", ")
                .append(SqlIdentifiers.quote(MetadataColumns.POSITION))
                .append(' ')
                .append(dialect.positionType())
                .append(", ")
                .append(SqlIdentifiers.quote(MetadataColumns.SYNCED_AT))
                .append(' ')
                .append(dialect.syncedAtType());
        if (deleteMode == DeleteMode.SOFT) {
            sql.append(", ")
                    .append(SqlIdentifiers.quote(MetadataColumns.DELETED))
                    .append(' ')
                    .append(dialect.deletedType());
        }
        if (dialect.declaresPrimaryKey() && batch.hasKey()) {
            sql.append(", PRIMARY KEY (")
                    .append(SqlIdentifiers.list(batch.key()))
                    .append(')');
        }
        return sql.append(')').toString();
    }

    private void followTypeChange(Connection c, TargetTable target, Column column, ColumnTypeChange.Type existing)
            throws SQLException {
        if (existing == null) {
            return;
        }
        String wantedSql = dialect.columnType(column);
        ColumnTypeChange.Type wanted = ColumnTypeChange.parse(wantedSql);
        switch (ColumnTypeChange.judge(existing, wanted)) {
            case SAME -> {}
            case WIDEN ->
                JdbcStatements.execute(
                        c,
                        "ALTER TABLE " + target.sql() + " ALTER COLUMN " + SqlIdentifiers.quote(column.name())
                                + " TYPE " + wantedSql);
            case INCOMPATIBLE ->
                throw new SchemaChangeRefusedException("column " + column.name() + " of "
                        + target.sql() + " has type " + existing.text()
                        + " in the destination, and the source now sends "
                        + column.sourceType() + " (" + wantedSql + "), which does not hold every value of the old type."
                        + " Re-sync the table (`resync --pipeline FILE --table SCHEMA.TABLE` with the source table's"
                        + " name, under source.allow-resync: true), or drop the target table and start the pipeline"
                        + " over (delete its state dir)");
        }
    }

    /** The table's columns with their types as the destination's catalog names them. */
    private Map<String, ColumnTypeChange.Type> columnTypesOf(Connection c, TargetTable target) throws SQLException {
        Map<String, ColumnTypeChange.Type> types = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type, numeric_precision,"
                + " numeric_scale FROM information_schema.columns WHERE table_catalog = current_database()"
                + " AND table_schema = ? AND table_name = ?")) {
            s.setString(1, target.schema());
            s.setString(2, target.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    types.put(
                            r.getString(1),
                            ColumnTypeChange.parse(r.getString(2), (Integer) r.getObject(3, Integer.class), (Integer)
                                    r.getObject(4, Integer.class)));
                }
            }
        }
        return types;
    }

    /**
     * Renames the target's column when the source renamed it: the batch notes the former name, the
     * target has it but not the new one, and the batch has no column of the former name (else both
     * are columns of their own). The column keeps its values and type; a type change, if any, is
     * followed afterwards like any other.
     */
    private static boolean renameIfRenamedInSource(
            Connection c, TargetTable target, Set<String> present, String column, BatchColumns batch)
            throws SQLException {
        String former = batch.renamedFrom().get(column);
        if (former == null
                || present.contains(column)
                || !present.contains(former)
                || batch.columnNames().contains(former)) {
            return false;
        }
        JdbcStatements.execute(
                c,
                "ALTER TABLE " + target.sql() + " RENAME COLUMN " + SqlIdentifiers.quote(former) + " TO "
                        + SqlIdentifiers.quote(column));
        List<String> renamed = new ArrayList<>(present);
        renamed.replaceAll(name -> name.equals(former) ? column : name);
        present.clear();
        present.addAll(renamed);
        return true;
    }

    private void addIfMissing(Connection c, TargetTable target, Set<String> present, String column, String type)
            throws SQLException {
        if (present.add(column)) {
            addColumn(c, target, column, type);
        }
    }

    private static void addColumn(Connection c, TargetTable target, String column, String type) throws SQLException {
        JdbcStatements.execute(
                c, "ALTER TABLE " + target.sql() + " ADD COLUMN " + SqlIdentifiers.quote(column) + " " + type);
    }

    /** The table's column names in table order; empty when the table does not exist. */
    public List<String> columnsOf(Connection c, TargetTable target) throws SQLException {
        String sql = dialect.columnsQuery();
        List<String> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, target.schema());
            s.setString(2, target.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
        }
        return columns;
    }
}
