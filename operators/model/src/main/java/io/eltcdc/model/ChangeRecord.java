package io.eltcdc.model;

import java.util.Objects;

/**
 * The record that flows from the sources to the staged files: one row of one table, what
 * happened to it and where in the table's order of changes it stands.
 *
 * <p>{@code values} holds one value per column of {@code schema}, each of its column type's Java
 * class ({@link ColumnType#javaClass()}) or null. Records are immutable once emitted: operators
 * never change the array, so chained operators may pass them on without copying.
 */
public final class ChangeRecord {
    private final TableSchema schema;
    private final Op op;
    private final Position position;
    private final Object[] values;

    public ChangeRecord(TableSchema schema, Op op, Position position, Object[] values) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.op = Objects.requireNonNull(op, "op");
        this.position = Objects.requireNonNull(position, "position");
        this.values = Objects.requireNonNull(values, "values");
        if (values.length != schema.columns().size()) {
            throw new IllegalArgumentException("record of " + schema.id() + " has " + values.length
                    + " values for " + schema.columns().size() + " columns");
        }
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

    @Override
    public String toString() {
        return op + " " + schema.id() + "@" + position + " " + java.util.Arrays.deepToString(values);
    }
}
