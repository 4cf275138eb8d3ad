package io.eltcdc.destination.bigquery;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BigQuery names for source names, and their quoting in GoogleSQL.
 *
 * <p>BigQuery allows fewer characters than PostgreSQL or MySQL: dataset ids take letters, digits
 * and underscores only; table names letters, marks, digits, connectors, dashes and spaces; column
 * names (flexible column names) also {@code & % = + : ' < > # |}, but never a double quote, a dot
 * or a slash, and no reserved prefix such as {@code _PARTITION}. A character BigQuery does not
 * allow becomes {@code _}; a column with a reserved prefix gets {@code x} in front. The mapping
 * is fixed, so the same source name always gives the same BigQuery name (the target table's
 * column descriptions record the source name where it changed).
 */
public final class BigQueryNames {
    private static final Pattern DATASET_CHAR = Pattern.compile("[A-Za-z0-9_]");
    private static final Pattern TABLE_CHAR = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd} ]");
    private static final Pattern COLUMN_CHAR = Pattern.compile("[\\p{L}\\p{M}\\p{N}\\p{Pc}\\p{Pd} &%=+:'<>#|]");
    /** Prefixes BigQuery reserves for its own pseudo-columns (compared case-insensitively). */
    private static final String[] RESERVED_COLUMN_PREFIXES = {
        "_table_",
        "_file_",
        "_partition",
        "_row_timestamp",
        "__root__",
        "_colidentifier",
        "_change_sequence_number",
        "_change_timestamp",
        "_change_type"
    };

    private static final int MAX_DATASET = 1024;

    private BigQueryNames() {}

    /** The dataset id for a source schema (or the configured dataset). */
    public static String dataset(String schema) {
        String name = replaceDisallowed(schema, DATASET_CHAR);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the schema name '" + schema + "' gives no BigQuery dataset id;"
                    + " set destination.schema to the dataset to load into");
        }
        return name.length() > MAX_DATASET ? name.substring(0, MAX_DATASET) : name;
    }

    /** The table name for a source table name. */
    public static String table(String table) {
        return replaceDisallowed(table, TABLE_CHAR);
    }

    /** The column name for a source column name. */
    public static String column(String column) {
        String name = replaceDisallowed(column, COLUMN_CHAR);
        String lower = name.toLowerCase(Locale.ROOT);
        for (String prefix : RESERVED_COLUMN_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return "x" + name;
            }
        }
        return name;
    }

    /** {@code `name`}: a quoted identifier, any name, reserved words included. */
    public static String quote(String identifier) {
        StringBuilder out = new StringBuilder(identifier.length() + 2).append('`');
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            switch (c) {
                case '`' -> out.append("\\`");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('`').toString();
    }

    /** {@code `project`.`dataset`.`table`}. */
    public static String qualified(String project, String dataset, String table) {
        return quote(project) + "." + quote(dataset) + "." + quote(table);
    }

    /** A GoogleSQL string literal (for DDL options, which take no query parameters). */
    public static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** A label value (lower-case letters, digits, {@code _} and {@code -}, at most 63 characters). */
    static String label(String text) {
        String value = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        return value.length() > 63 ? value.substring(0, 63) : value;
    }

    private static String replaceDisallowed(String name, Pattern allowed) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            out.append(allowed.matcher(ch).matches() ? ch : "_");
        });
        return out.toString();
    }
}
