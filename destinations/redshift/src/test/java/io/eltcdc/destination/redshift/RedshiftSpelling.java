package io.eltcdc.destination.redshift;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;

/**
 * A PostgreSQL connection that takes the Redshift load's SQL: it rewrites each statement text
 * before PostgreSQL sees it. It folds quoted identifiers to lower case as Redshift does, and spells
 * the three Redshift-only parts the PostgreSQL way: {@code SYSDATE} (the load's time),
 * {@code VARBYTE}, {@code TO_VARBYTE(…, 'hex')}. Everything else runs as generated, so the
 * dialect-common part of the load (DDL, dedup, resolving unsent values, delete, insert, ledger)
 * runs on a real server. COPY has no counterpart: {@link InsertLoadFiles} fills the raw table.
 */
final class RedshiftSpelling {
    private static final Set<String> SQL_METHODS = Set.of(
            "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "prepareStatement",
            "addBatch",
            "prepareCall");

    private RedshiftSpelling() {}

    static Connection onPostgres(Connection postgres) {
        return wrap(postgres, Connection.class);
    }

    /** {@code sql} as PostgreSQL takes it. */
    static String translate(String sql) {
        String out = foldQuotedIdentifiers(sql)
                .replace(RedshiftSql.NOW, "CURRENT_TIMESTAMP")
                .replace("VARBYTE(" + RedshiftTypes.MAX_VARCHAR_BYTES + ")", "BYTEA")
                .replace("TO_VARBYTE(", "decode(");
        return out;
    }

    /** Lower-cases ASCII letters inside double-quoted identifiers, leaving string literals alone. */
    static String foldQuotedIdentifiers(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        boolean inLiteral = false;
        boolean inIdentifier = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (!inIdentifier && c == '\'') {
                inLiteral = !inLiteral;
            } else if (!inLiteral && c == '"') {
                inIdentifier = !inIdentifier; // a doubled quote closes and reopens: the text stays the same
            } else if (inIdentifier && c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            out.append(c);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(T target, Class<T> type) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (args != null
                    && args.length > 0
                    && args[0] instanceof String sql
                    && SQL_METHODS.contains(method.getName())) {
                args[0] = translate(sql);
            }
            try {
                Object result = method.invoke(target, args);
                if (method.getName().equals("createStatement") && result instanceof Statement statement) {
                    return wrap(statement, Statement.class);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(RedshiftSpelling.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
