package io.eltcdc.destination.redshift;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL connection that takes the Redshift load's SQL: it rewrites each statement text
 * before PostgreSQL sees it. It folds quoted identifiers to lower case as Redshift does, and spells
 * the three Redshift-only parts the PostgreSQL way: {@code SYSDATE} as {@code LOCALTIMESTAMP} (both
 * the transaction's start as a timestamp without time zone, in the session's time zone),
 * {@code VARBYTE}, {@code TO_VARBYTE(…, 'hex')}. Everything else runs as generated, so the
 * dialect-common part of the load (DDL, dedup, resolving unsent values, delete, insert, ledger)
 * runs on a real server. COPY has no counterpart: {@link InsertLoadFiles} fills the raw table.
 *
 * <p>Every statement is first checked for functions that PostgreSQL runs and Redshift does not in
 * a statement on tables ({@link LeaderNodeOnlyFunctions}).
 */
final class RedshiftSpelling {
    private static final Pattern SYSDATE = Pattern.compile("\\bSYSDATE\\b", Pattern.CASE_INSENSITIVE);

    private RedshiftSpelling() {}

    static Connection onPostgres(Connection postgres) {
        return wrap(postgres, Connection.class);
    }

    /** {@code sql} as PostgreSQL takes it. */
    static String translate(String sql) {
        String out = foldQuotedIdentifiers(LeaderNodeOnlyFunctions.check(sql))
                .replace("VARBYTE(" + RedshiftTypes.MAX_VARCHAR_BYTES + ")", "BYTEA")
                .replace("TO_VARBYTE(", "decode(");
        return replaceInCode(out, SYSDATE, "LOCALTIMESTAMP");
    }

    /** {@code sql} with each match of {@code word} outside literals and quoted identifiers replaced. */
    private static String replaceInCode(String sql, Pattern word, String replacement) {
        Matcher m = word.matcher(SqlText.code(sql));
        StringBuilder out = new StringBuilder(sql.length());
        int copied = 0;
        while (m.find()) {
            out.append(sql, copied, m.start()).append(replacement);
            copied = m.end();
        }
        return out.append(sql, copied, sql.length()).toString();
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
                    && SqlText.JDBC_METHODS_TAKING_SQL.contains(method.getName())) {
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
