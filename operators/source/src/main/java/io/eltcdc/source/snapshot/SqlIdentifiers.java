package io.eltcdc.source.snapshot;

import io.eltcdc.model.TableId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes PostgreSQL identifiers. Every name is quoted, so case and special characters survive:
 * {@code "hidden"."Odd Table"}, {@code "Order"}. (flink-connector-jdbc's PostgresDialect returns
 * identifiers unquoted, which breaks on exactly such names.)
 */
public final class SqlIdentifiers {
    private SqlIdentifiers() {}

    /** {@code name} in double quotes, embedded double quotes doubled. */
    public static String quote(String name) {
        if (name.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String quote(TableId table) {
        return quote(table.schema()) + '.' + quote(table.table());
    }

    /** The quoted names joined by {@code ", "}. */
    static String quoteAll(List<String> names) {
        return names.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
