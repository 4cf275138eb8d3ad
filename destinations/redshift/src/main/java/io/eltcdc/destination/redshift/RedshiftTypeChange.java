package io.eltcdc.destination.redshift;

import io.eltcdc.destination.ColumnTypeChange;
import io.eltcdc.destination.ColumnTypeChange.Kind;
import io.eltcdc.destination.ColumnTypeChange.Type;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do when a target column's type differs from the type a batch needs (the source changed
 * the column's type), by the rule every destination follows ({@link ColumnTypeChange#holds}) and what
 * Redshift can do: its {@code ALTER COLUMN … TYPE} only grows a VARCHAR, so that is done; a type the
 * target column already holds (an older schema version's narrower type) is left alone; anything else
 * is refused, with the reason: the new type does not hold every old value, or Redshift cannot widen
 * the column in place. Types of other kinds (dates, booleans, …) are not compared: a value the
 * column cannot take fails the merge itself.
 */
final class RedshiftTypeChange {
    private static final Pattern SQL_TYPE = Pattern.compile("([a-z ]+?)\\s*(?:\\((\\d+)(?:\\s*,\\s*(\\d+))?\\))?");

    enum Verdict {
        SAME,
        GROW_VARCHAR,
        CANNOT_WIDEN,
        INCOMPATIBLE
    }

    private RedshiftTypeChange() {}

    /** A type from the SQL text the load writes ({@code NUMERIC(12,2)}, {@code VARCHAR(36)}, {@code BIGINT}). */
    static Type parse(String sql) {
        Matcher m = SQL_TYPE.matcher(sql.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return new Type(Kind.OTHER, -1, -1, sql);
        }
        int size = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        int scale = m.group(3) == null ? (size < 0 ? -1 : 0) : Integer.parseInt(m.group(3));
        return new Type(kind(m.group(1).trim()), size, scale, sql);
    }

    /** A type as {@code information_schema.columns} describes it. */
    static Type ofCatalog(String dataType, Integer length, Integer precision, Integer scale) {
        Kind kind = kind(dataType.trim().toLowerCase(Locale.ROOT));
        return switch (kind) {
            case TEXT ->
                new Type(
                        kind,
                        length == null ? -1 : length,
                        -1,
                        "character varying(" + (length == null ? "" : length) + ")");
            case DECIMAL ->
                new Type(
                        kind,
                        precision == null ? -1 : precision,
                        scale == null ? 0 : scale,
                        "numeric(" + precision + "," + scale + ")");
            default -> new Type(kind, -1, -1, dataType);
        };
    }

    private static Kind kind(String name) {
        return switch (name) {
            case "smallint", "int2", "integer", "int", "int4" -> Kind.INT32;
            case "bigint", "int8" -> Kind.INT64;
            case "real", "float4" -> Kind.FLOAT32;
            case "double precision", "float8", "float" -> Kind.FLOAT64;
            case "numeric", "decimal" -> Kind.DECIMAL;
            case "varchar", "character varying", "nvarchar", "text" -> Kind.TEXT;
            default -> Kind.OTHER;
        };
    }

    static Verdict judge(Type existing, Type wanted) {
        if (existing.kind() == Kind.OTHER || wanted.kind() == Kind.OTHER || ColumnTypeChange.holds(existing, wanted)) {
            return Verdict.SAME;
        }
        if (existing.kind() == Kind.TEXT && wanted.kind() == Kind.TEXT) {
            return Verdict.GROW_VARCHAR;
        }
        return ColumnTypeChange.holds(wanted, existing) ? Verdict.CANNOT_WIDEN : Verdict.INCOMPATIBLE;
    }
}
