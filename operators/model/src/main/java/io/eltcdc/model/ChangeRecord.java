package io.eltcdc.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The record that flows from the sources to the staged files: one row of one table, what
 * happened to it and where in the table's order of changes it stands.
 *
 * <p>{@code values} holds one value per column of {@code schema}, each of its column type's Java
 * class ({@link ColumnType#javaClass()}) or null. Records are immutable once emitted: operators
 * never change the array, so chained operators may pass them on without copying.
 *
 * <p>{@code unchangedColumns} lists the columns whose value the source did not send (PostgreSQL
 * leaves unchanged TOASTed values out of an UPDATE): their values are null here, and the
 * destination keeps the value it has. Usually there are none.
 */
public final class ChangeRecord {
    private static final int[] NONE = new int[0];

    private final TableSchema schema;
    private final Op op;
    private final Position position;
    private final Object[] values;
    private final int[] unchangedColumns;

    public ChangeRecord(TableSchema schema, Op op, Position position, Object[] values) {
        this(schema, op, position, values, NONE);
    }

    /**
     * @param unchangedColumns indexes of the columns whose value the source did not send, in
     *     ascending order, none of them a key column, each with a null value; empty for none
     */
    public ChangeRecord(TableSchema schema, Op op, Position position, Object[] values, int[] unchangedColumns) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.op = Objects.requireNonNull(op, "op");
        this.position = Objects.requireNonNull(position, "position");
        this.values = Objects.requireNonNull(values, "values");
        Objects.requireNonNull(unchangedColumns, "unchangedColumns");
        if (values.length != schema.columns().size()) {
            throw new IllegalArgumentException("record of " + schema.id() + " has " + values.length + " values for "
                    + schema.columns().size() + " columns");
        }
        this.unchangedColumns = unchangedColumns.length == 0 ? NONE : checkUnchanged(schema, values, unchangedColumns);
    }

    private static int[] checkUnchanged(TableSchema schema, Object[] values, int[] unchanged) {
        int previous = -1;
        for (int column : unchanged) {
            if (column <= previous || column >= values.length) {
                throw new IllegalArgumentException("unchanged columns of a record of " + schema.id()
                        + " must be ascending indexes below " + values.length + ": " + Arrays.toString(unchanged));
            }
            String name = schema.columns().get(column).name();
            if (schema.keyColumns().contains(name)) {
                throw new IllegalArgumentException("key column '" + name + "' of " + schema.id()
                        + " cannot be unchanged: a record must carry its key");
            }
            if (values[column] != null) {
                throw new IllegalArgumentException(
                        "column '" + name + "' of a record of " + schema.id() + " is unchanged but has a value");
            }
            previous = column;
        }
        return unchanged;
    }

    public TableSchema schema() {
        return schema;
    }

    public TableId table() {
        return schema.id();
    }

    public String schemaVersion() {
        return schema.version();
    }

    public Op op() {
        return op;
    }

    public Position position() {
        return position;
    }

    /** The values, one per column; do not modify. */
    public Object[] values() {
        return values;
    }

    public Object value(int column) {
        return values[column];
    }

    /** Indexes of the columns whose value the source did not send, ascending; empty for none (never null). Do not modify. */
    public int[] unchangedColumns() {
        return unchangedColumns;
    }

    public boolean hasUnchangedColumns() {
        return unchangedColumns.length > 0;
    }

    @Override
    public String toString() {
        return op + " " + schema.id() + "@" + position + " " + Arrays.deepToString(values)
                + (unchangedColumns.length == 0 ? "" : " unchanged " + Arrays.toString(unchangedColumns));
    }
}
