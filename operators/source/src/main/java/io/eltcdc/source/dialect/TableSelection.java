package io.eltcdc.source.dialect;

import io.eltcdc.model.TableId;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pipeline's table patterns and custom keys select, the same for every source database:
 * the tables in pattern order, each once, and the custom key of each (which must name a selected
 * table). How one pattern resolves is the catalog's business.
 */
public final class TableSelection {
    /** The tables one pattern names; fails with a message for a pattern that names nothing usable. */
    @FunctionalInterface
    public interface PatternResolver {
        List<TableId> resolve(String pattern) throws SQLException;
    }

    public record Selected(Set<TableId> tables, Map<TableId, List<String>> customKeys) {}

    private TableSelection() {}

    /** @param form how a pattern is written, for messages: {@code schema.table or schema.*} */
    public static Selected select(
            List<String> patterns, Map<String, List<String>> customKeys, String form, PatternResolver resolver)
            throws SQLException {
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        customKeys.forEach((table, columns) -> {
            TableId id = parse(table, "source.primary-keys entry", form);
            if (columns == null || columns.isEmpty()) {
                throw new IllegalArgumentException("source.primary-keys entry '" + table + "' names no key columns");
            }
            keys.put(id, List.copyOf(columns));
        });
        Set<TableId> tables = new LinkedHashSet<>();
        for (String pattern : patterns) {
            tables.addAll(resolver.resolve(pattern));
        }
        for (TableId keyed : keys.keySet()) {
            if (!tables.contains(keyed)) {
                throw new IllegalArgumentException("source.primary-keys names table '" + keyed
                        + "', which none of the table patterns " + patterns + " selects");
            }
        }
        return new Selected(tables, keys);
    }

    public static TableId parse(String text, String what, String form) {
        try {
            return TableId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not of the form " + form, e);
        }
    }
}
