package io.eltcdc.destination.redshift;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redshift's leader node–only functions, as AWS lists them on "Leader node–only functions"
 * (https://docs.aws.amazon.com/redshift/latest/dg/c_SQL_functions_leader_node_only.html): a query
 * that uses one must run on the leader node alone, and a statement that references a table runs on
 * the compute nodes, so it fails (an INSERT with {@code NOW()} is refused with "Specified types or
 * functions (one per INFO message) not supported on Redshift tables"). PostgreSQL runs them all, so
 * the Redshift SQL that the tests run there passes through {@link #check} first
 * ({@link RedshiftSpelling}): any use fails a test.
 *
 * <ul>
 *   <li>The list: the system information functions, {@code SUBSTR}, {@code FACTORIAL},
 *       {@code LOG}, and the deprecated date and string functions ({@code CURRENT_TIMESTAMP},
 *       {@code NOW}, …); {@code GETBIT} also as PostgreSQL spells it, {@code GET_BIT}.
 *   <li>{@code CURRENT_DATE}, {@code SYSDATE} and {@code GETDATE()} are not on it: they run on the
 *       compute nodes.
 *   <li>Names inside string literals and quoted identifiers are values and names, not calls.
 * </ul>
 */
final class LeaderNodeOnlyFunctions {
    private static final List<String> NAMES = List.of(
            "CURRENT_SCHEMA",
            "CURRENT_SCHEMAS",
            "HAS_DATABASE_PRIVILEGE",
            "HAS_SCHEMA_PRIVILEGE",
            "HAS_TABLE_PRIVILEGE",
            "SUBSTR",
            "FACTORIAL",
            "LOG",
            "AGE",
            "CURRENT_TIME",
            "CURRENT_TIMESTAMP",
            "LOCALTIME",
            "ISFINITE",
            "NOW",
            "GETBIT",
            "GET_BIT",
            "GET_BYTE",
            "SET_BIT",
            "SET_BYTE",
            "TO_ASCII");

    private static final Pattern USE =
            Pattern.compile("\\b(" + String.join("|", NAMES) + ")\\b", Pattern.CASE_INSENSITIVE);

    private LeaderNodeOnlyFunctions() {}

    /**
     * Returns {@code sql} unchanged.
     *
     * @throws AssertionError when {@code sql} uses a leader node–only function, naming it
     */
    static String check(String sql) {
        Matcher use = USE.matcher(SqlText.code(sql));
        if (use.find()) {
            throw new AssertionError(use.group(1).toUpperCase(Locale.ROOT)
                    + " is a leader node-only function in Redshift and fails in a statement that reads or"
                    + " writes a table (use SYSDATE or GETDATE()): " + sql);
        }
        return sql;
    }
}
