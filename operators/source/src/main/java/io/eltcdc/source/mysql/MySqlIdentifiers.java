package io.eltcdc.source.mysql;

import io.eltcdc.model.TableId;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Quotes MySQL identifiers with backticks, which work whatever the session's {@code sql_mode} (double
 * quotes quote identifiers only under {@code ANSI_QUOTES}). Every name is quoted, so reserved words
 * and odd characters survive: {@code `shop`.`Odd ``Table`}.
 */
final class MySqlIdentifiers {
    private MySqlIdentifiers() {}

    /** {@code name} in backticks, embedded backticks doubled. */
    static String quote(String name) {
        if (name.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '`' + name.replace("`", "``") + '`';
    }

    /** {@code `database`.`table`}: on MySQL the table id's schema is the database. */
    static String quote(TableId table) {
        return quote(table.schema()) + '.' + quote(table.table());
    }

    /** The quoted names joined by {@code ", "}. */
    static String quoteAll(List<String> names) {
        return names.stream().map(MySqlIdentifiers::quote).collect(Collectors.joining(", "));
    }
}
