package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.ColumnTypeChange;
import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;
import java.util.Locale;

/**
 * What to do when a target column's type differs from the type a batch needs (the source changed
 * the column's type): the rule of every destination ({@link ColumnTypeChange#holds}: integer →
 * bigint, a numeric with more integer digits or more scale, integer → double, anything → text;
 * refuse what loses values), applied to what Snowflake can change.
 *
 * <p>Snowflake changes a column's type in place only to a NUMBER of higher precision and the same
 * scale, or to a longer VARCHAR; any other widening (more scale, number → text, …) rebuilds the
 * column ({@link SnowflakeDdlSql#rebuildColumn}). Kinds this class does not compare (a date and a
 * UUID's text, say) are left as they are, as elsewhere: the merge then fails if values do not fit.
 */
final class SnowflakeTypeChange {
    /** How Snowflake's catalog describes a column's type. */
    record CatalogType(String dataType, Integer precision, Integer scale, Long length) {
        String text() {
            return switch (dataType) {
                case "NUMBER" -> "NUMBER(" + precision + "," + scale + ")";
                case "TEXT" -> length == null ? "VARCHAR" : "VARCHAR(" + length + ")";
                default -> dataType;
            };
        }
    }

    enum Verdict {
        SAME,
        ALTER_IN_PLACE,
        REBUILD,
        INCOMPATIBLE
    }

    /** Snowflake's default (and largest) VARCHAR length. */
    static final long MAX_VARCHAR = 16_777_216L;

    private SnowflakeTypeChange() {}

    static Verdict judge(CatalogType existing, Column wanted) {
        String kind = existing.dataType().toUpperCase(Locale.ROOT);
        ColumnType type = wanted.type();
        boolean wantsText = type == ColumnType.STRING
                || type == ColumnType.DECIMAL_TEXT
                || SnowflakeSql.typeOf(wanted).equals("VARCHAR");
        if (kind.equals("TEXT")) {
            if (wantsText && existing.length() != null && existing.length() < MAX_VARCHAR) {
                return Verdict.ALTER_IN_PLACE; // a longer VARCHAR
            }
            return Verdict.SAME; // text holds every value
        }
        if (wantsText) {
            return Verdict.REBUILD; // anything -> text
        }
        int[] wantedNumber = number(wanted);
        if (kind.equals("NUMBER") && existing.precision() != null && existing.scale() != null) {
            int p = existing.precision();
            int s = existing.scale();
            if (wantedNumber != null) {
                ColumnTypeChange.Type have = decimal(p, s);
                ColumnTypeChange.Type want = decimal(wantedNumber[0], wantedNumber[1]);
                if (ColumnTypeChange.holds(have, want)) {
                    return Verdict.SAME; // equal, or wider already
                }
                if (ColumnTypeChange.holds(want, have)) {
                    return wantedNumber[1] == s ? Verdict.ALTER_IN_PLACE : Verdict.REBUILD;
                }
                return Verdict.INCOMPATIBLE;
            }
            if (type == ColumnType.FLOAT32 || type == ColumnType.FLOAT64) {
                return s == 0 && p <= 10 ? Verdict.REBUILD : Verdict.INCOMPATIBLE; // integer -> double
            }
            return Verdict.INCOMPATIBLE;
        }
        if (kind.equals("FLOAT")) {
            if (type == ColumnType.FLOAT32 || type == ColumnType.FLOAT64) {
                return Verdict.SAME;
            }
            // A double holds every integer (the old rule's integer -> double), nothing else of NUMBER's.
            return wantedNumber != null && wantedNumber[1] == 0 && wantedNumber[0] <= 10
                    ? Verdict.SAME
                    : wantedNumber != null ? Verdict.INCOMPATIBLE : Verdict.SAME;
        }
        // Dates, times, timestamps, booleans, binary, VARIANT: kinds not compared, unless a number is wanted.
        return wantedNumber != null || type == ColumnType.FLOAT32 || type == ColumnType.FLOAT64
                ? Verdict.INCOMPATIBLE
                : Verdict.SAME;
    }

    private static ColumnTypeChange.Type decimal(int precision, int scale) {
        return new ColumnTypeChange.Type(
                ColumnTypeChange.Kind.DECIMAL, precision, scale, "NUMBER(" + precision + "," + scale + ")");
    }

    /** Precision and scale of the NUMBER a column needs, or null when it needs no NUMBER. */
    private static int[] number(Column column) {
        return switch (column.type()) {
            case INT32 -> new int[] {10, 0};
            case INT64 -> new int[] {19, 0};
            case DECIMAL ->
                SnowflakeSql.typeOf(column).startsWith("NUMBER")
                        ? new int[] {column.precision(), column.scale()}
                        : null;
            default -> null;
        };
    }
}
