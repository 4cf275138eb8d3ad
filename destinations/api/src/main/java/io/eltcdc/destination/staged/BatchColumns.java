package io.eltcdc.destination.staged;

import io.eltcdc.destination.MetadataColumns;
import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns and key of one batch: the union of the columns of its files, which may have been
 * written with different schema versions of the table (a column added in the source appears in
 * the later files only; rows of the earlier files have NULL there).
 */
public final class BatchColumns {
    private final TableId table;
    private final List<Column> columns;
    private final List<String> key;
    private final Map<String, String> renamedFrom;

    private BatchColumns(TableId table, List<Column> columns, List<String> key, Map<String, String> renamedFrom) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.key = List.copyOf(key);
        this.renamedFrom = Map.copyOf(renamedFrom);
    }

    /**
     * The union of {@code schemas}, in first-seen column order.
     *
     * @throws IllegalArgumentException if a file is of another table, the files disagree on the key or
     *     on a column's type, or a column has a metadata column's name
     */
    public static BatchColumns of(TableId table, List<TableSchema> schemas) {
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException("no file schemas for " + table);
        }
        Map<String, Column> union = new LinkedHashMap<>();
        Map<String, String> renamedFrom = new HashMap<>();
        List<String> key = null;
        for (TableSchema schema : schemas) {
            renamedFrom.putAll(schema.renamedFrom());
            if (!schema.id().equals(table)) {
                throw new IllegalArgumentException(
                        "a staged file of table " + schema.id() + " is in the batch of table " + table);
            }
            if (key == null) {
                key = schema.keyColumns();
            } else if (!key.equals(schema.keyColumns())) {
                throw new IllegalArgumentException("the staged files of " + table + " disagree on the key: " + key
                        + " and " + schema.keyColumns());
            }
            for (Column column : schema.columns()) {
                if (MetadataColumns.isMetadata(column.name())) {
                    throw new IllegalArgumentException(
                            "column '" + column.name() + "' of " + table + " has the name of a metadata column");
                }
                Column seen = union.putIfAbsent(column.name(), column);
                if (seen != null && !seen.typeText().equals(column.typeText())) {
                    throw new IllegalArgumentException("column '" + column.name() + "' of " + table
                            + " changes type within one batch (" + seen.typeText() + " and " + column.typeText()
                            + "); load the files of each schema version separately");
                }
            }
        }
        return new BatchColumns(table, new ArrayList<>(union.values()), key, renamedFrom);
    }

    /** Whether {@code schemas} give every column they share the same type. */
    static boolean columnTypesAgree(List<TableSchema> schemas) {
        Map<String, String> types = new HashMap<>();
        for (TableSchema schema : schemas) {
            for (Column column : schema.columns()) {
                String seen = types.putIfAbsent(column.name(), column.typeText());
                if (seen != null && !seen.equals(column.typeText())) {
                    return false;
                }
            }
        }
        return true;
    }

    public TableId table() {
        return table;
    }

    /** The source columns, without the metadata columns. */
    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** Columns the source renamed while streaming: new name to former name. */
    public Map<String, String> renamedFrom() {
        return renamedFrom;
    }

    /** The key columns; empty for a table that is appended to. */
    public List<String> key() {
        return key;
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    /**
     * For each batch column, its index among {@code file}'s columns, or -1 where the file's schema
     * version does not have it.
     */
    public int[] indexesIn(TableSchema file) {
        int[] indexes = new int[columns.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = file.indexOf(columns.get(i).name());
        }
        return indexes;
    }
}
