package io.eltcdc.job.config;

import io.eltcdc.config.ConfigException;
import io.eltcdc.config.Found;

/** Checks {@code schema.table} names and {@code schema.*} patterns, split at the first dot. */
final class TableNames {
    private TableNames() {}

    /** A table name or a {@code schema.*} pattern, as listed in {@code source.tables}. */
    static void checkPattern(String path, String value) throws ConfigException {
        int dot = check(path, value, "schema.table or schema.*");
        String schema = value.substring(0, dot);
        String table = value.substring(dot + 1);
        if (schema.contains("*")) {
            throw new ConfigException(
                    path,
                    "expected schema.table or schema.*, got " + Found.quote(value)
                            + "; only the whole table part may be *");
        }
        if (table.contains("*") && !table.equals("*")) {
            throw new ConfigException(
                    path,
                    "expected schema.table or schema.*, got " + Found.quote(value)
                            + "; * matches all tables of a schema and cannot be part of a name");
        }
    }

    /** A single table, as named in {@code source.primary-keys}. */
    static void checkTable(String path, String value) throws ConfigException {
        int dot = check(path, value, "a single schema.table");
        if (value.substring(dot + 1).equals("*")) {
            throw new ConfigException(
                    path,
                    "expected a single schema.table, got the pattern " + Found.quote(value)
                            + "; key columns are set per table");
        }
    }

    /** Whether {@code table} (schema.table) is selected by one of {@code patterns}. */
    static boolean selected(String table, Iterable<String> patterns) {
        String schemaPattern = table.substring(0, table.indexOf('.')) + ".*";
        for (String pattern : patterns) {
            if (pattern.equals(table) || pattern.equals(schemaPattern)) {
                return true;
            }
        }
        return false;
    }

    private static int check(String path, String value, String expected) throws ConfigException {
        int dot = value.indexOf('.');
        if (dot < 0) {
            throw new ConfigException(
                    path,
                    "expected " + expected + ", got " + Found.quote(value) + ", which names no schema (e.g. public."
                            + value + ")");
        }
        if (dot == 0 || dot == value.length() - 1) {
            throw new ConfigException(
                    path,
                    "expected " + expected + ", got " + Found.quote(value)
                            + (dot == 0 ? ", whose schema is empty" : ", whose table is empty"));
        }
        return dot;
    }
}
