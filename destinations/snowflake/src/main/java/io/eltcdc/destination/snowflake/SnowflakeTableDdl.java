package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.SchemaChangeRefusedException;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a Snowflake target table fit a batch (autocommit: every DDL statement commits on its own
 * in Snowflake): creates the schema and table when missing, adds the batch's columns and the
 * metadata columns the table lacks, widens columns whose type the source widened
 * ({@link SnowflakeTypeChange}), and refuses other type changes naming the table, the column and
 * both types. Columns are never dropped. Tables and columns are named as {@link SnowflakeNames}
 * says; the catalog is asked in those names.
 */
final class SnowflakeTableDdl {
    private final DeleteMode deleteMode;
    private final SnowflakeNames names;
    private final String schemaOverride;
    private final SnowflakeDdlSql ddl;

    /**
     * @param names how the target tables and their columns are named (the batches' column names are
     *     named so already)
     * @param schemaOverride the schema of every target table, or null for each source table's schema
     */
    SnowflakeTableDdl(DeleteMode deleteMode, SnowflakeNames names, String schemaOverride) {
        this.deleteMode = deleteMode;
        this.names = names;
        this.schemaOverride = schemaOverride;
        this.ddl = new SnowflakeDdlSql(names);
    }

    /**
     * Ensures the table and returns the names of all its columns afterwards, in table order.
     *
     * @throws IllegalStateException if the table is missing, but a table of the source's case that
     *     an earlier version made is there (see {@link #refuseTableOfTheSourcesCase})
     */
    List<String> ensure(Connection c, TargetTable target, BatchColumns batch) throws SQLException {
        Map<String, SnowflakeTypeChange.CatalogType> existing = columnsOf(c, target);
        if (existing.isEmpty()) {
            refuseTableOfTheSourcesCase(c, target, batch);
            JdbcStatements.ensureSchema(c, null, target.schema());
            JdbcStatements.execute(c, ddl.createTable(target, batch, deleteMode));
            return new ArrayList<>(columnsOf(c, target).keySet());
        }
        boolean changed = false;
        for (Column column : batch.columns()) {
            if (existing.containsKey(ddl.oldColumn(column.name()))) { // a rebuild was interrupted
                execute(c, ddl.finishRebuild(target, column, existing.containsKey(column.name())));
                changed = true;
                continue;
            }
            if (renameIfRenamedInSource(c, target, existing, column.name(), batch)) {
                changed = true;
            }
            SnowflakeTypeChange.CatalogType type = existing.get(column.name());
            if (type == null) {
                JdbcStatements.execute(c, ddl.addColumn(target, column.name(), SnowflakeSql.typeOf(column)));
                changed = true;
                continue;
            }
            switch (SnowflakeTypeChange.judge(type, column)) {
                case SAME -> {}
                case ALTER_IN_PLACE -> JdbcStatements.execute(c, ddl.alterInPlace(target, column));
                case REBUILD -> {
                    execute(c, ddl.rebuildColumn(target, column));
                    changed = true;
                }
                case INCOMPATIBLE ->
                    throw new SchemaChangeRefusedException("column " + column.name() + " of "
                            + target.sql() + " has type " + type.text()
                            + " in the destination, and the source now sends "
                            + column.sourceType() + " (" + SnowflakeSql.typeOf(column) + "), which does not hold every"
                            + " value of the old type. Re-sync the table: drop the target table and start the pipeline"
                            + " over (delete its state dir)");
            }
        }
        SnowflakeSql dialect = new SnowflakeSql(0, names);
        changed |= addIfMissing(c, target, existing, MetadataColumns.OP, dialect.opType());
        changed |= addIfMissing(c, target, existing, MetadataColumns.POSITION, dialect.positionType());
        changed |= addIfMissing(c, target, existing, MetadataColumns.SYNCED_AT, dialect.syncedAtType());
        if (deleteMode == DeleteMode.SOFT && !existing.containsKey(ddl.column(MetadataColumns.DELETED))) {
            JdbcStatements.execute(c, ddl.addDeletedColumn(target));
            changed = true;
        }
        return new ArrayList<>((changed ? columnsOf(c, target) : existing).keySet());
    }

    /**
     * Refuses to create {@code target} in Snowflake's names when the table of the source's names is
     * there: an earlier version of the pipeline made it ({@code "public"."orders"}), and loading on
     * into a new, empty {@code PUBLIC.ORDERS} would leave every row loaded before behind.
     */
    private void refuseTableOfTheSourcesCase(Connection c, TargetTable target, BatchColumns batch) throws SQLException {
        TargetTable sourceCase = SnowflakeNames.SOURCE.target(batch.table(), schemaOverride);
        if (names == SnowflakeNames.SOURCE
                || sourceCase.equals(target)
                || columnsOf(c, sourceCase).isEmpty()) {
            return;
        }
        throw new IllegalStateException("the target table " + sourceCase.sql() + " exists, named in the source's case"
                + " by an earlier version of elt-cdc, but Snowflake's upper-case names (destination.identifier-case:"
                + " upper, the default) load " + batch.table() + " into " + target.sql() + ". Set"
                + " destination.identifier-case: source to go on loading into the existing tables; or drop them and"
                + " load the pipeline again from the start (see the README's Snowflake section)");
    }

    /**
     * Renames the target's column when the source renamed it: the batch notes the former name, the
     * target has it but not the new one, and the batch has no column of the former name (else both
     * are columns of their own). The column keeps its values; a type change is followed afterwards.
     */
    private boolean renameIfRenamedInSource(
            Connection c,
            TargetTable target,
            Map<String, SnowflakeTypeChange.CatalogType> existing,
            String column,
            BatchColumns batch)
            throws SQLException {
        String former = batch.renamedFrom().get(column);
        if (former == null
                || existing.containsKey(column)
                || !existing.containsKey(former)
                || batch.columnNames().contains(former)) {
            return false;
        }
        JdbcStatements.execute(c, ddl.renameColumn(target, former, column));
        Map<String, SnowflakeTypeChange.CatalogType> renamed = new LinkedHashMap<>();
        existing.forEach((name, type) -> renamed.put(name.equals(former) ? column : name, type));
        existing.clear();
        existing.putAll(renamed);
        return true;
    }

    private boolean addIfMissing(
            Connection c,
            TargetTable target,
            Map<String, SnowflakeTypeChange.CatalogType> existing,
            String column,
            String type)
            throws SQLException {
        if (existing.containsKey(ddl.column(column))) {
            return false;
        }
        JdbcStatements.execute(c, ddl.addColumn(target, column, type));
        return true;
    }

    private static void execute(Connection c, List<String> statements) throws SQLException {
        for (String statement : statements) {
            JdbcStatements.execute(c, statement);
        }
    }

    /** The table's columns and their types in table order; empty when the table does not exist. */
    static Map<String, SnowflakeTypeChange.CatalogType> columnsOf(Connection c, TargetTable target)
            throws SQLException {
        Map<String, SnowflakeTypeChange.CatalogType> columns = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(SnowflakeDdlSql.columnsQuery())) {
            s.setString(1, target.schema());
            s.setString(2, target.table());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.put(
                            r.getString(1),
                            new SnowflakeTypeChange.CatalogType(
                                    r.getString(2),
                                    integer(r, 3),
                                    integer(r, 4),
                                    r.getObject(5) == null ? null : r.getLong(5)));
                }
            }
        }
        return columns;
    }

    private static Integer integer(ResultSet r, int column) throws SQLException {
        return r.getObject(column) == null ? null : r.getInt(column);
    }
}
