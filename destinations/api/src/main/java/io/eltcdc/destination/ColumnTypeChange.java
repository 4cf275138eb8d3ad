package io.eltcdc.destination;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do when a target column's type differs from the type the batch needs (the column's type
 * was changed in the source): widen it where the destination can hold every old value in the new
 * type (integer → bigint, real → double, a numeric with more integer digits or more scale, anything
 * → text), refuse anything else. Types are compared by kind, read from the SQL type names both
 * destinations use; a pair of kinds this class does not know (e.g. timestamp and timestamptz, named
 * differently by the catalog and the DDL) counts as unchanged.
 */
public final class ColumnTypeChange {
    private static final Pattern WITH_PRECISION = Pattern.compile("([a-z ]+)\\s*\\((\\d+)\\s*,\\s*(\\d+)\\)");

    public enum Kind {
        INT32,
        INT64,
        FLOAT32,
        FLOAT64,
        DECIMAL,
        TEXT,
        OTHER
    }

    /** A type by kind; precision and scale for a bounded DECIMAL, -1 otherwise (unbounded numeric). */
    public record Type(Kind kind, int precision, int scale, String text) {
        int integerDigits() {
            return precision - scale;
        }
    }

    public enum Verdict {
        SAME,
        WIDEN,
        INCOMPATIBLE
    }

    private ColumnTypeChange() {}

    /** A type from its SQL text ({@code numeric(12,2)}, {@code BIGINT}, {@code DECIMAL(12,2)}). */
    public static Type parse(String sql) {
        String t = sql.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_PRECISION.matcher(t);
        if (m.matches()) {
            return of(m.group(1).trim(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), sql);
        }
        return of(t, -1, -1, sql);
    }

    /** A type from a catalog's data type name and numeric precision and scale (null when none). */
    public static Type parse(String dataType, Integer precision, Integer scale) {
        String t = dataType.trim().toLowerCase(Locale.ROOT);
        if (t.contains("(")) {
            return parse(dataType);
        }
        boolean bounded = precision != null && scale != null && (t.equals("numeric") || t.equals("decimal"));
        return of(t, bounded ? precision : -1, bounded ? scale : -1, dataType);
    }

    private static Type of(String name, int precision, int scale, String text) {
        Kind kind = switch (name) {
            case "smallint", "integer", "int", "int2", "int4", "tinyint" -> Kind.INT32;
            case "bigint", "int8" -> Kind.INT64;
            case "real", "float4", "float" -> Kind.FLOAT32;
            case "double precision", "double", "float8" -> Kind.FLOAT64;
            case "numeric", "decimal" -> Kind.DECIMAL;
            case "text", "varchar", "character varying" -> Kind.TEXT;
            default -> Kind.OTHER;
        };
        return new Type(kind, precision, scale, text);
    }

    public static Verdict judge(Type existing, Type wanted) {
        if (widens(wanted, existing)) {
            return Verdict.SAME; // the destination's type is already wider: rows of an older version of the table
        }
        if (existing.kind() == Kind.OTHER && wanted.kind() == Kind.OTHER) {
            return Verdict.SAME; // not comparable by kind: left as it is, as before type changes were followed
        }
        if (existing.kind() == wanted.kind()) {
            if (existing.kind() != Kind.DECIMAL
                    || existing.precision() == wanted.precision() && existing.scale() == wanted.scale()) {
                return Verdict.SAME;
            }
            return decimalHolds(wanted, existing) ? Verdict.WIDEN : Verdict.INCOMPATIBLE;
        }
        return widens(existing, wanted) ? Verdict.WIDEN : Verdict.INCOMPATIBLE;
    }

    /** Whether a column of type {@code from} can become {@code to} keeping every value, and the two differ. */
    private static boolean widens(Type from, Type to) {
        if (from.kind() == to.kind()) {
            return from.kind() == Kind.DECIMAL
                    && (from.precision() != to.precision() || from.scale() != to.scale())
                    && decimalHolds(to, from);
        }
        Type existing = from;
        Type wanted = to;
        return switch (wanted.kind()) {
            case TEXT -> true;
            case INT64 -> existing.kind() == Kind.INT32;
            case FLOAT64 -> existing.kind() == Kind.FLOAT32 || existing.kind() == Kind.INT32;
            case DECIMAL ->
                (existing.kind() == Kind.INT32 && digitsFor(wanted, 10))
                        || (existing.kind() == Kind.INT64 && digitsFor(wanted, 19));
            default -> false;
        };
    }

    /** Whether decimal {@code wider} holds every value of decimal {@code narrower}. */
    private static boolean decimalHolds(Type wider, Type narrower) {
        if (wider.precision() < 0) {
            return true; // unbounded numeric
        }
        return narrower.precision() >= 0
                && wider.integerDigits() >= narrower.integerDigits()
                && wider.scale() >= narrower.scale();
    }

    private static boolean digitsFor(Type decimal, int integerDigits) {
        return decimal.precision() < 0 || decimal.integerDigits() >= integerDigits;
    }
}
