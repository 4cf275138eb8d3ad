package io.eltcdc.model;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The columns and key of one source table at one schema version.
 *
 * <p>The version is a fingerprint of the column names and types, so the same columns always give
 * the same version (across restarts and machines) and any added, dropped or retyped column gives
 * a new one: staged files of different versions never share a bucket.
 */
public final class TableSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TableId id;
    private final List<Column> columns;
    private final List<String> keyColumns;
    private final String version;
    private final int[] keyIndexes;
    private final Map<String, String> renamedFrom;

    public TableSchema(TableId id, List<Column> columns, List<String> keyColumns) {
        this(id, columns, keyColumns, Map.of());
    }

    /**
     * @param renamedFrom columns renamed in the source while the pipeline streamed: new name to
     *     former name, so that the destination renames its column instead of adding one
     */
    public TableSchema(TableId id, List<Column> columns, List<String> keyColumns, Map<String, String> renamedFrom) {
        this.id = Objects.requireNonNull(id, "id");
        this.renamedFrom = Map.copyOf(renamedFrom);
        this.columns = List.copyOf(columns);
        this.keyColumns = List.copyOf(keyColumns);
        if (this.columns.isEmpty()) {
            throw new IllegalArgumentException("table " + id + " has no columns");
        }
        this.keyIndexes = new int[this.keyColumns.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            keyIndexes[i] = indexOf(this.keyColumns.get(i));
            if (keyIndexes[i] < 0) {
                throw new IllegalArgumentException(
                        "key column '" + this.keyColumns.get(i) + "' is not a column of " + id);
            }
        }
        this.version = fingerprint(this.columns);
    }

    public TableId id() {
        return id;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The key columns, in key order; empty for a table without a primary or configured key. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    public boolean hasKey() {
        return !keyColumns.isEmpty();
    }

    /** Positions of the key columns in {@link #columns()}. */
    public int[] keyIndexes() {
        return keyIndexes.clone();
    }

    public int keyIndex(int keyPart) {
        return keyIndexes[keyPart];
    }

    /** Columns renamed in the source: new name to former name; empty when none was. */
    public Map<String, String> renamedFrom() {
        return renamedFrom;
    }

    /** The schema version: a fingerprint of the columns, e.g. {@code v3f2a9c1d}. */
    public String version() {
        return version;
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    private static String fingerprint(List<Column> columns) {
        StringBuilder text = new StringBuilder();
        for (Column c : columns) {
            text.append(c.name()).append('\u0000').append(c.typeText()).append('\u0001');
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "v" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSchema t
                && t.id.equals(id)
                && t.columns.equals(columns)
                && t.keyColumns.equals(keyColumns)
                && t.renamedFrom.equals(renamedFrom);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, columns, keyColumns, renamedFrom);
    }

    @Override
    public String toString() {
        return id + "@" + version
                + columns.stream().map(c -> c.name() + " " + c.typeText()).toList() + " key " + keyColumns
                + (renamedFrom.isEmpty() ? "" : " renamed " + renamedFrom);
    }
}
