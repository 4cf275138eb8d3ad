package io.eltcdc.source.log;

import io.eltcdc.model.TableId;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's {@code source.tables} patterns, as the change log applies them to a table it meets
 * that did not exist when the pipeline started. The rule is the snapshot's: {@code schema.table}
 * (split at the first dot) names one table exactly, case-sensitively; {@code schema.*} names every
 * table of the schema. A custom key from {@code source.primary-keys} goes with its table.
 */
public final class TablePatterns implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> patterns;
    /** Schemas of {@code schema.*} patterns. */
    private final Set<String> wholeSchemas = new HashSet<>();

    private final Set<TableId> exactTables = new HashSet<>();
    private final Map<TableId, List<String>> customKeys = new HashMap<>();

    /**
     * @param patterns {@code schema.table} or {@code schema.*}, as validated by the configuration
     * @param customKeys key columns by {@code schema.table}
     */
    public TablePatterns(List<String> patterns, Map<String, List<String>> customKeys) {
        this.patterns = List.copyOf(patterns);
        for (String pattern : this.patterns) {
            TableId id = TableId.parse(pattern);
            if (id.table().equals("*")) {
                wholeSchemas.add(id.schema());
            } else {
                exactTables.add(id);
            }
        }
        customKeys.forEach((table, columns) -> this.customKeys.put(TableId.parse(table), List.copyOf(columns)));
    }

    /** Whether one of the patterns names {@code table}. */
    public boolean selects(TableId table) {
        return wholeSchemas.contains(table.schema()) || exactTables.contains(table);
    }

    /** The configured key of {@code table}, or null to use its primary key (or none). */
    public List<String> customKey(TableId table) {
        return customKeys.get(table);
    }

    /** The schemas the patterns name, each once, in pattern order (a single table needs its schema too). */
    public List<String> schemas() {
        Set<String> schemas = new LinkedHashSet<>();
        patterns.forEach(p -> schemas.add(TableId.parse(p).schema()));
        return List.copyOf(schemas);
    }

    /**
     * The patterns as Debezium table filters (regular expressions over {@code schema.table}, matched
     * whole): a table name literally, {@code schema.*} as every name in the schema. Unlike a list of
     * the tables found at start, these also match tables created later.
     */
    public String[] logFilters() {
        return patterns.stream()
                .map(TableId::parse)
                .map(id ->
                        regexLiteral(id.schema()) + "\\." + (id.table().equals("*") ? ".*" : regexLiteral(id.table())))
                .toArray(String[]::new);
    }

    /** The Debezium filter naming exactly {@code table}. */
    public static String logFilter(TableId table) {
        return regexLiteral(table.schema()) + "\\." + regexLiteral(table.table());
    }

    private static String regexLiteral(String name) {
        return name.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
    }

    public List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
