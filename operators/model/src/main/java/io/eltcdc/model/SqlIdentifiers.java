package io.eltcdc.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL identifiers in double quotes, always quoted: names are kept exactly (case, spaces, reserved
 * words), and an embedded double quote is doubled. Standard SQL: the PostgreSQL source and every SQL
 * destination use it (MySQL quotes with backticks, in the MySQL source's own class).
 *
 * <p>(flink-connector-jdbc's {@code PostgresDialect#quoteIdentifier} returns the name unquoted, so
 * it cannot carry names such as {@code Order Items} or {@code select}.)
 */
public final class SqlIdentifiers {
    private SqlIdentifiers() {}

    public static String quote(String identifier) {
        if (identifier.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(
                    "identifier contains a NUL character: " + identifier.replace('\u0000', '?'));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }

    /** {@code "schema"."table"} of a source table. */
    public static String quote(TableId table) {
        return qualified(table.schema(), table.table());
    }

    /** {@code "a", "b"}. */
    public static String list(List<String> identifiers) {
        return identifiers.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }

    /** {@code prefix."a", prefix."b"}. */
    public static String list(String prefix, List<String> identifiers) {
        return identifiers.stream().map(c -> prefix + "." + quote(c)).collect(Collectors.joining(", "));
    }

    /** A SQL string literal: single quotes doubled. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
