package io.eltcdc.model.checksum;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of {@code verify}'s row hash, spelled by each database that computes it (the source's and
 * the destination's), so that equal values hash equal whatever database holds them.
 *
 * <p>A row's hash: each column's canonical text ({@link #columnText}), {@link #NULL} for NULL, joined by
 * {@link #SEPARATOR} in the source's column order; the first 64 bits of its MD5, as an integer. The
 * canonical text by pipeline type:
 * <ul>
 *   <li>integers, decimals: decimal text; a {@code DECIMAL(p,s)} with exactly {@code s} decimals (every
 *       database prints its declared scale), exact decimals as the text kept;
 *   <li>floats: rounded to 12 (double) or 6 (real) significant digits, as {@code <digits>e<exponent>}
 *       computed with arithmetic (each database prints floats its own way);
 *   <li>booleans {@code t} / {@code f}; dates as days since 1970-01-01; times as microseconds since
 *       midnight; timestamps (with or without zone) as microseconds since 1970-01-01 00:00 UTC;
 *   <li>uuid in lower case, bytes in lower-case hex, text as is, JSON as the destination keeps it
 *       ({@link JsonForm}).
 * </ul>
 */
public abstract class RowChecksumSql {
    /** What a NULL value hashes as: not a value of any type's canonical text. */
    public static final String NULL = "\u2400";
    /** Between two columns' texts. */
    public static final String SEPARATOR = "\u241f";

    /** Significant digits a double's text keeps. */
    static final int DOUBLE_DIGITS = 12;
    /** Significant digits a real's text keeps. */
    static final int REAL_DIGITS = 6;

    private final JsonForm jsonForm;

    /** @param jsonForm how the destination keeps JSON values, which both sides spell */
    protected RowChecksumSql(JsonForm jsonForm) {
        this.jsonForm = java.util.Objects.requireNonNull(jsonForm, "jsonForm");
    }

    public JsonForm jsonForm() {
        return jsonForm;
    }

    /** The column {@code name} as a SQL expression (quoted, in the database's case). */
    protected abstract String columnRef(String name);

    /** The decimal text of an integer-valued numeric expression (no fraction digits, no exponent). */
    protected abstract String integerText(String expression);

    /** The text of a {@code DECIMAL(p,s)} with exactly {@code s} decimals. */
    protected abstract String decimalText(String expression, Column column);

    /** The kept text of an exact decimal ({@code DECIMAL_TEXT}). */
    protected abstract String exactDecimalText(String expression, Column column);

    /** Text as text, in UTF-8. */
    protected abstract String stringText(String expression, Column column);

    protected abstract String jsonText(String expression, Column column, JsonForm form);

    protected abstract String uuidText(String expression);

    protected abstract String bytesHex(String expression);

    /** Days since 1970-01-01, as an integer expression. */
    protected abstract String epochDays(String expression);

    /** Microseconds since midnight, as an integer expression. */
    protected abstract String timeMicros(String expression);

    /** Microseconds since 1970-01-01 00:00 (UTC for a timestamp with zone), as an integer expression. */
    protected abstract String timestampMicros(String expression, boolean withZone);

    /** The first 64 bits of the MD5 of the text {@code text}, as an integer (signed or not). */
    protected abstract String hash64(String text);

    /** {@code parts} concatenated as text. */
    protected String concat(List<String> parts) {
        return "(" + String.join(" || ", parts) + ")";
    }

    /** {@code value} as a string literal. */
    protected String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A boolean column as {@code 't'} / {@code 'f'}, NULL for NULL. */
    protected String booleanText(String expression) {
        return "CASE WHEN " + expression + " THEN 't' WHEN NOT " + expression + " THEN 'f' END";
    }

    /** Text of a float that is NaN or infinite, or null where the database has none. */
    protected String nonFiniteText(String expression) {
        return null;
    }

    /** The base-10 logarithm of {@code e} (Snowflake and Redshift spell it otherwise). */
    protected String log10(String e) {
        return "LOG10(" + e + ")";
    }

    /** A float rounded to {@code digits} significant digits: {@code 123456789012e-5}; {@code 0} for zero. */
    protected String floatText(String e, int digits) {
        String exponent = "FLOOR(" + log10("ABS(" + e + ")") + " + 1e-12)";
        String mantissa = "FLOOR(" + e + " / POWER(10, " + exponent + " - " + (digits - 1) + ") + 0.5)";
        String nonFinite = nonFiniteText(e);
        return "CASE WHEN " + e + " = 0 THEN '0'"
                + (nonFinite == null ? "" : " WHEN " + nonFinite)
                + " WHEN " + e + " <> 0 THEN " + concat(List.of(integerText(mantissa), "'e'", integerText(exponent)))
                + " END";
    }

    /** The canonical text of {@code column}'s value, NULL for NULL. */
    public String valueText(Column column) {
        String e = columnRef(column.name());
        return switch (column.type()) {
            case INT32, INT64 -> integerText(e);
            case DECIMAL -> decimalText(e, column);
            case DECIMAL_TEXT -> exactDecimalText(e, column);
            case FLOAT32 -> floatText(e, REAL_DIGITS);
            case FLOAT64 -> floatText(e, DOUBLE_DIGITS);
            case BOOLEAN -> booleanText(e);
            case STRING -> stringText(e, column);
            case JSON -> jsonText(e, column, jsonForm);
            case UUID -> uuidText(e);
            case BYTES -> bytesHex(e);
            case DATE -> integerText(epochDays(e));
            case TIME -> integerText(timeMicros(e));
            case TIMESTAMP -> integerText(timestampMicros(e, false));
            case TIMESTAMP_TZ -> integerText(timestampMicros(e, true));
        };
    }

    /** The canonical text of {@code column}'s value, {@link #NULL} for NULL. */
    public String columnText(Column column) {
        return "COALESCE(" + valueText(column) + ", " + literal(NULL) + ")";
    }

    /** The canonical texts of {@code columns} joined by {@link #SEPARATOR}. */
    public String rowText(List<Column> columns) {
        List<String> parts = new ArrayList<>(columns.size() * 2);
        for (Column column : columns) {
            if (!parts.isEmpty()) {
                parts.add(literal(SEPARATOR));
            }
            parts.add(columnText(column));
        }
        return parts.size() == 1 ? parts.get(0) : concat(parts);
    }

    /** The row hash of a table's row: every column of {@code schema}. */
    public String rowHash(TableSchema schema) {
        return hash64(rowText(schema.columns()));
    }

    /** The key's canonical text ({@link RowHash#key()}); the whole row's for a table without a key. */
    public String keyText(TableSchema schema) {
        if (!schema.hasKey()) {
            return rowText(schema.columns());
        }
        List<Column> key = new ArrayList<>();
        for (int part = 0; part < schema.keyColumns().size(); part++) {
            key.add(schema.columns().get(schema.keyIndex(part)));
        }
        return rowText(key);
    }
}
