package io.eltcdc.model;

import java.io.Serializable;
import java.util.Objects;

/** A table of the source, by its exact (case-sensitive) schema and table names. */
public final class TableId implements Serializable, Comparable<TableId> {
    private static final long serialVersionUID = 1L;

    private final String schema;
    private final String table;

    public TableId(String schema, String table) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Parses {@code schema.table}, split at the first dot: {@code hidden.Odd Table} is table
     * {@code Odd Table} of schema {@code hidden}.
     */
    public static TableId parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("'" + qualified + "' is not a table name of the form schema.table");
        }
        return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    @Override
    public int compareTo(TableId o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : table.compareTo(o.table);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableId t && t.schema.equals(schema) && t.table.equals(table);
    }

    @Override
    public int hashCode() {
        return schema.hashCode() * 31 + table.hashCode();
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
