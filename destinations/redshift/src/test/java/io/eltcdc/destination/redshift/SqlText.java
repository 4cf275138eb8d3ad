package io.eltcdc.destination.redshift;

import java.util.Set;

/** Reading SQL text the way a server does: what is inside quotes is a value or a name, not code. */
final class SqlText {
    /** The JDBC methods of a connection or statement whose first argument is a statement's text. */
    static final Set<String> JDBC_METHODS_TAKING_SQL = Set.of(
            "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "prepareStatement",
            "addBatch",
            "prepareCall");

    private SqlText() {}

    /**
     * {@code sql} with the insides of its string literals and quoted identifiers blanked out (each
     * character a space), so that a search finds only keywords and function names; the positions of
     * the remaining characters are those of {@code sql}.
     */
    static String code(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        char open = 0; // the quote character of the literal or identifier we are in, or 0
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (open == 0 && (c == '\'' || c == '"')) {
                open = c;
                out.append(c);
            } else if (open != 0 && c == open) {
                open = 0; // a doubled quote closes and reopens: its inside stays blank
                out.append(c);
            } else {
                out.append(open == 0 ? c : ' ');
            }
        }
        return out.toString();
    }
}
