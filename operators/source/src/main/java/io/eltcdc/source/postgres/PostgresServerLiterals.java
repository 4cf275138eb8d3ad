package io.eltcdc.source.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns bound parameter values into SQL literals, written by the server itself: for statements that
 * take no parameters, such as {@code COPY}.
 *
 * <p>Each value is bound exactly as the parameterized query would bind it, cast to its column type,
 * and rendered with {@code format('%L', …)}: the type's own output function, quoted. Read back
 * through the type's input function (by {@code CAST('…' AS type)}), a literal is the same value, for
 * every type and without any quoting or formatting rules of our own (time zones, infinities, float
 * digits, backslashes). NULL renders as {@code NULL}.
 */
final class PostgresServerLiterals {
    /** Binds the values to a statement whose parameters are numbered from 1. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private PostgresServerLiterals() {}

    /**
     * One literal per parameter: {@code types} are the SQL types of the parameters in order,
     * {@code binder} binds their values.
     */
    static String[] render(Connection connection, List<String> types, Binder binder) throws SQLException {
        if (types.isEmpty()) {
            return new String[0];
        }
        String sql = "SELECT "
                + types.stream()
                        .map(type -> "format('%L', CAST(? AS " + type + "))")
                        .collect(Collectors.joining(", "));
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] literals = new String[types.size()];
                for (int i = 0; i < literals.length; i++) {
                    literals[i] = rs.getString(i + 1);
                }
                return literals;
            }
        }
    }
}
