package io.eltcdc.destination;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule of every destination for a column whose type the source changed: which type
 * {@linkplain #holds holds} every value of which. A destination keeps a target column that already
 * holds the new type (rows of an older schema version are narrower), widens one that the new type
 * holds (integer → bigint, real → double, a numeric with more integer digits or more scale, anything
 * → text), and refuses anything else, naming both types. How a destination widens, or whether it
 * can, is its own: {@link #judge} is the verdict of the destinations that alter a column in place
 * (DuckDB, PostgreSQL); Redshift, Snowflake and BigQuery map their type names onto {@link Type} and
 * apply {@link #holds} with what their ALTER can do.
 *
 * <p>Types are compared by kind; two types of kinds this class does not know (a date and a UUID, or
 * timestamp and timestamptz, named differently by catalog and DDL) count as unchanged.
 */
public final class ColumnTypeChange {
    private static final Pattern WITH_PRECISION = Pattern.compile("([a-z ]+)\\s*\\((\\d+)\\s*,\\s*(\\d+)\\)");
    /** Integer digits of the largest 32-bit and 64-bit integers. */
    private static final int INT32_DIGITS = 10;

    private static final int INT64_DIGITS = 19;
    /** Characters enough for the text of any number, date or time: a text column this long takes them. */
    public static final int TEXT_OF_ANY_VALUE = 64;

    public enum Kind {
        INT32,
        INT64,
        FLOAT32,
        FLOAT64,
        DECIMAL,
        TEXT,
        OTHER
    }

    /**
     * A type by kind.
     *
     * @param size a DECIMAL's precision, a TEXT's length; -1 when unbounded (an unbounded numeric,
     *     text without a length) or for other kinds
     * @param scale a bounded DECIMAL's scale, -1 otherwise
     * @param text the type as the destination names it, for messages
     */
    public record Type(Kind kind, int size, int scale, String text) {
        /** A DECIMAL's precision (-1 when unbounded). */
        public int precision() {
            return size;
        }

        boolean bounded() {
            return size >= 0;
        }

        int integerDigits() {
            return size - scale;
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
        return new Type(kind, kind == Kind.DECIMAL ? precision : -1, kind == Kind.DECIMAL ? scale : -1, text);
    }

    /**
     * The verdict of a destination that alters a column in place: the same type, or one the target
     * column already holds, or two kinds not compared, stay; a type that holds the target column's
     * widens it; anything else is refused.
     */
    public static Verdict judge(Type existing, Type wanted) {
        if (sameType(existing, wanted) || holds(existing, wanted)) {
            return Verdict.SAME;
        }
        return holds(wanted, existing) ? Verdict.WIDEN : Verdict.INCOMPATIBLE;
    }

    /** Same kind, and for a DECIMAL the same precision and scale (kinds not compared are all the same). */
    private static boolean sameType(Type a, Type b) {
        return a.kind() == b.kind() && (a.kind() != Kind.DECIMAL || a.size() == b.size() && a.scale() == b.scale());
    }

    /** Whether a column of type {@code wider} holds every value of type {@code narrower}. */
    public static boolean holds(Type wider, Type narrower) {
        Kind n = narrower.kind();
        return switch (wider.kind()) {
            case INT32 -> n == Kind.INT32;
            case INT64 -> n == Kind.INT32 || n == Kind.INT64;
            case FLOAT32 -> n == Kind.FLOAT32;
            case FLOAT64 -> n == Kind.FLOAT32 || n == Kind.FLOAT64 || n == Kind.INT32;
            case DECIMAL ->
                switch (n) {
                    case DECIMAL ->
                        !wider.bounded()
                                || narrower.bounded()
                                        && wider.integerDigits() >= narrower.integerDigits()
                                        && wider.scale() >= narrower.scale();
                    case INT32 -> !wider.bounded() || wider.integerDigits() >= INT32_DIGITS;
                    case INT64 -> !wider.bounded() || wider.integerDigits() >= INT64_DIGITS;
                    default -> false;
                };
            // Text takes the text of every value; a bounded one, shorter text and any value's text if long enough.
            case TEXT ->
                !wider.bounded()
                        || (n == Kind.TEXT
                                ? narrower.bounded() && narrower.size() <= wider.size()
                                : wider.size() >= TEXT_OF_ANY_VALUE);
            case OTHER -> false;
        };
    }
}
