package io.eltcdc.destination.snowflake;

import static io.eltcdc.model.SqlIdentifiers.quote;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.destination.TargetTable;
import io.eltcdc.destination.staged.BatchColumns;
import io.eltcdc.model.Column;
import java.util.List;

/** The DDL statements that make a Snowflake target table fit a batch (text only; {@link SnowflakeTableDdl} runs them). */
final class SnowflakeDdlSql {
    /** Prefix of the column that holds a column's old values while it is rebuilt with a wider type. */
    static final String OLD_PREFIX = "_elt_old_";

    private static final SnowflakeSql DIALECT = new SnowflakeSql(0);

    private SnowflakeDdlSql() {}

    static String createTable(TargetTable target, BatchColumns batch, DeleteMode deleteMode) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(target.sql())
                .append(" (");
        for (Column column : batch.columns()) {
            sql.append(quote(column.name()))
                    .append(' ')
                    .append(SnowflakeSql.typeOf(column))
                    .append(", ");
        }
        sql.append(quote(MetadataColumns.OP))
                .append(' ')
                .append(DIALECT.opType())
                .append(", ")
                .append(quote(MetadataColumns.POSITION))
                .append(' ')
                .append(DIALECT.positionType())
                .append(", ")
                .append(quote(MetadataColumns.SYNCED_AT))
                .append(' ')
                .append(DIALECT.syncedAtType());
        if (deleteMode == DeleteMode.SOFT) {
            sql.append(", ").append(quote(MetadataColumns.DELETED)).append(' ').append(DIALECT.deletedType());
        }
        return sql.append(')').toString();
    }

    static String addColumn(TargetTable target, String column, String type) {
        return "ALTER TABLE " + target.sql() + " ADD COLUMN " + quote(column) + " " + type;
    }

    static String renameColumn(TargetTable target, String from, String to) {
        return "ALTER TABLE " + target.sql() + " RENAME COLUMN " + quote(from) + " TO " + quote(to);
    }

    /** {@code _elt_deleted}, added to a table of hard-delete mode: false for the rows there. */
    static String addDeletedColumn(TargetTable target) {
        return addColumn(target, MetadataColumns.DELETED, DIALECT.deletedType() + " DEFAULT FALSE");
    }

    /** A widening Snowflake does in place: a NUMBER of higher precision and the same scale, a longer VARCHAR. */
    static String alterInPlace(TargetTable target, Column column) {
        return "ALTER TABLE " + target.sql() + " ALTER COLUMN " + quote(column.name()) + " SET DATA TYPE "
                + SnowflakeSql.typeOf(column);
    }

    /**
     * A widening Snowflake cannot do in place (more scale, number → text, integer → double): the
     * column is renamed, added again with the new type, filled from the old one, and the old one
     * dropped. The column moves to the end of the table. Every step leaves a state that
     * {@link #finishRebuild} completes, should the job stop in between.
     */
    static List<String> rebuildColumn(TargetTable target, Column column) {
        String old = quote(OLD_PREFIX + column.name());
        return List.of(
                renameColumn(target, column.name(), OLD_PREFIX + column.name()),
                addColumn(target, column.name(), SnowflakeSql.typeOf(column)),
                fillFromOld(target, column),
                "ALTER TABLE " + target.sql() + " DROP COLUMN " + old);
    }

    /** The last steps of {@link #rebuildColumn}, for a table where the old column is still there. */
    static List<String> finishRebuild(TargetTable target, Column column, boolean columnAdded) {
        String drop = "ALTER TABLE " + target.sql() + " DROP COLUMN " + quote(OLD_PREFIX + column.name());
        return columnAdded
                ? List.of(fillFromOld(target, column), drop)
                : List.of(
                        addColumn(target, column.name(), SnowflakeSql.typeOf(column)),
                        fillFromOld(target, column),
                        drop);
    }

    private static String fillFromOld(TargetTable target, Column column) {
        String type = SnowflakeSql.typeOf(column);
        String old = quote(OLD_PREFIX + column.name());
        String value = type.startsWith("VARCHAR") ? "TO_VARCHAR(" + old + ")" : old + "::" + type;
        return "UPDATE " + target.sql() + " SET " + quote(column.name()) + " = " + value;
    }

    /** The table's columns with their types, in table order ({@code ?}: schema, then table). */
    static String columnsQuery() {
        return "SELECT column_name, data_type, numeric_precision, numeric_scale, character_maximum_length"
                + " FROM information_schema.columns WHERE table_catalog = CURRENT_DATABASE() AND table_schema = ?"
                + " AND table_name = ? ORDER BY ordinal_position";
    }
}
