package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import java.util.List;

/**
 * The DDL statements that make a Snowflake target table fit a batch (text only; {@link SnowflakeTableDdl} runs them).
 * Every column name, metadata columns included, is written as {@link SnowflakeNames} keeps it.
 */
final class SnowflakeDdlSql {
    /** Prefix of the column that holds a column's old values while it is rebuilt with a wider type. */
    static final String OLD_PREFIX = "_elt_old_";

    private final SnowflakeNames names;
    private final SnowflakeSql dialect;

    SnowflakeDdlSql(SnowflakeNames names) {
        this.names = names;
        this.dialect = new SnowflakeSql(0, names);
    }

    /** The name of a target column, or metadata column, as the table has it. */
    String column(String name) {
        return names.identifier(name);
    }

    /** The column that holds {@code column}'s old values while it is rebuilt ({@link #rebuildColumn}). */
    String oldColumn(String column) {
        return names.identifier(OLD_PREFIX + column);
    }

    String createTable(TargetTable target, BatchColumns batch, DeleteMode deleteMode) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(target.sql())
                .append(" (");
        for (Column column : batch.columns()) {
            sql.append(names.quote(column.name()))
                    .append(' ')
                    .append(SnowflakeSql.typeOf(column))
                    .append(", ");
        }
        sql.append(names.quote(MetadataColumns.OP))
                .append(' ')
                .append(dialect.opType())
                .append(", ")
                .append(names.quote(MetadataColumns.POSITION))
                .append(' ')
                .append(dialect.positionType())
                .append(", ")
                .append(names.quote(MetadataColumns.SYNCED_AT))
                .append(' ')
                .append(dialect.syncedAtType());
        if (deleteMode == DeleteMode.SOFT) {
            sql.append(", ")
                    .append(names.quote(MetadataColumns.DELETED))
                    .append(' ')
                    .append(dialect.deletedType());
        }
        return sql.append(')').toString();
    }

    String addColumn(TargetTable target, String column, String type) {
        return "ALTER TABLE " + target.sql() + " ADD COLUMN " + names.quote(column) + " " + type;
    }

    String renameColumn(TargetTable target, String from, String to) {
        return "ALTER TABLE " + target.sql() + " RENAME COLUMN " + names.quote(from) + " TO " + names.quote(to);
    }

    /** {@code _elt_deleted}, added to a table of hard-delete mode: false for the rows there. */
    String addDeletedColumn(TargetTable target) {
        return addColumn(target, MetadataColumns.DELETED, dialect.deletedType() + " DEFAULT FALSE");
    }

    /** A widening Snowflake does in place: a NUMBER of higher precision and the same scale, a longer VARCHAR. */
    String alterInPlace(TargetTable target, Column column) {
        return "ALTER TABLE " + target.sql() + " ALTER COLUMN " + names.quote(column.name()) + " SET DATA TYPE "
                + SnowflakeSql.typeOf(column);
    }

    /**
     * A widening Snowflake cannot do in place (more scale, number → text, integer → double): the
     * column is renamed, added again with the new type, filled from the old one, and the old one
     * dropped. The column moves to the end of the table. Every step leaves a state that
     * {@link #finishRebuild} completes, should the job stop in between.
     */
    List<String> rebuildColumn(TargetTable target, Column column) {
        return List.of(
                renameColumn(target, column.name(), oldColumn(column.name())),
                addColumn(target, column.name(), SnowflakeSql.typeOf(column)),
                fillFromOld(target, column),
                dropOld(target, column));
    }

    /** The last steps of {@link #rebuildColumn}, for a table where the old column is still there. */
    List<String> finishRebuild(TargetTable target, Column column, boolean columnAdded) {
        return columnAdded
                ? List.of(fillFromOld(target, column), dropOld(target, column))
                : List.of(
                        addColumn(target, column.name(), SnowflakeSql.typeOf(column)),
                        fillFromOld(target, column),
                        dropOld(target, column));
    }

    private String fillFromOld(TargetTable target, Column column) {
        String type = SnowflakeSql.typeOf(column);
        String old = names.quote(oldColumn(column.name()));
        String value = type.startsWith("VARCHAR") ? "TO_VARCHAR(" + old + ")" : old + "::" + type;
        return "UPDATE " + target.sql() + " SET " + names.quote(column.name()) + " = " + value;
    }

    private String dropOld(TargetTable target, Column column) {
        return "ALTER TABLE " + target.sql() + " DROP COLUMN " + names.quote(oldColumn(column.name()));
    }

    /** The table's columns with their types, in table order ({@code ?}: schema, then table). */
    static String columnsQuery() {
        return "SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length"
                + " FROM information_schema.columns WHERE table_catalog = CURRENT_DATABASE() AND table_schema = ?"
                + " AND table_name = ? ORDER BY ordinal_position";
    }
}
