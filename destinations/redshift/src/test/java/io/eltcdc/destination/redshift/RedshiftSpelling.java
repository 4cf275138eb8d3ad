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
 * {@code VARBYTE}, {@code TO_VARBYTE(…, 'hex')} (and verify's {@code FROM_VARBYTE}, and
 * {@code DATEDIFF}'s date part as text for the stand-in functions {@link #createStandIns} makes). Everything else runs as generated, so the
 * dialect-common part of the load (DDL, dedup, resolving unsent values, delete, insert, ledger)
 * runs on a real server. COPY has no counterpart: {@link InsertLoadFiles} fills the raw table.
 *
 * <p>Every statement is first checked for functions that PostgreSQL runs and Redshift does not in
 * a statement on tables ({@link LeaderNodeOnlyFunctions}).
 */
final class RedshiftSpelling {
    private static final Pattern SYSDATE = Pattern.compile("\\bSYSDATE\\b", Pattern.CASE_INSENSITIVE);
    /** {@code DATEDIFF(day, …)}: Redshift's date part is a word, PostgreSQL's stand-in takes it as text. */
    private static final Pattern DATEDIFF = Pattern.compile("\\bDATEDIFF\\((\\w+),", Pattern.CASE_INSENSITIVE);

    private RedshiftSpelling() {}

    static Connection onPostgres(Connection postgres) {
        return wrap(postgres, Connection.class);
    }

    /** {@code sql} as PostgreSQL takes it. */
    static String translate(String sql) {
        String out = foldQuotedIdentifiers(LeaderNodeOnlyFunctions.check(sql))
                .replace("VARBYTE(" + RedshiftTypes.MAX_VARCHAR_BYTES + ")", "BYTEA")
                .replace("TO_VARBYTE(", "decode(")
                .replace("FROM_VARBYTE(", "encode(");
        out = DATEDIFF.matcher(out).replaceAll("DATEDIFF('$1',");
        return replaceInCode(out, SYSDATE, "LOCALTIMESTAMP");
    }

    /**
     * Creates PostgreSQL stand-ins for the Redshift functions verify's row hash uses
     * ({@link RedshiftChecksumSql}) in the database of {@code postgres}: {@code STRTOL(hex, 16)},
     * {@code DLOG10} and {@code DATEDIFF} in days and microseconds.
     */
    static void createStandIns(Connection postgres) throws java.sql.SQLException {
        try (Statement s = postgres.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION strtol(text, integer) RETURNS bigint LANGUAGE sql IMMUTABLE"
                    + " AS $$ SELECT CASE WHEN $2 = 16 THEN ('x' || lpad($1, 16, '0'))::bit(64)::bigint END $$");
            s.execute("CREATE OR REPLACE FUNCTION dlog10(double precision) RETURNS double precision"
                    + " LANGUAGE sql IMMUTABLE AS $$ SELECT log10($1) $$");
            // days between dates; microseconds between times, or between timestamps
            s.execute("CREATE OR REPLACE FUNCTION datediff(text, date, date) RETURNS bigint LANGUAGE sql IMMUTABLE"
                    + " AS $$ SELECT CASE WHEN $1 = 'day' THEN ($3 - $2)::bigint END $$");
            for (String type : new String[] {"time", "timestamp"}) {
                s.execute("CREATE OR REPLACE FUNCTION datediff(text, " + type + ", " + type + ") RETURNS bigint"
                        + " LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN $1 = 'microsecond'"
                        + " THEN (extract(epoch FROM $3 - $2) * 1000000)::bigint END $$");
            }
        }
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
