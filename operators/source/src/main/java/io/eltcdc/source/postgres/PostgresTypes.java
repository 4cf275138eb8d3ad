package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.ColumnType;

/**
 * Maps a PostgreSQL column type to the pipeline's {@link ColumnType}.
 *
 * <p>Types are mapped by their base type (a domain maps like the type it is defined over). Any
 * type without a closer match is carried as a {@link ColumnType#STRING} holding PostgreSQL's text
 * form of the value (interval, inet, money, timetz, xml, ranges, enums, …), so nothing is lost.
 */
public final class PostgresTypes {
    /** Largest precision carried as {@link ColumnType#DECIMAL}; wider numerics travel as text. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    private PostgresTypes() {}

    /**
     * A PostgreSQL type as the catalog describes it: {@code pg_type.typname}, {@code typtype}
     * ({@code b} base, {@code e} enum, {@code d} domain, …), {@code typcategory} ({@code A} for
     * arrays) and the column's type modifier ({@code atttypmod}, -1 for none).
     */
    public record PgType(String name, char kind, char category, int typmod) {}

    /** The column of name {@code name} whose base type is {@code base}. */
    public static Column column(String name, PgType base, boolean nullable, String sourceType) {
        ColumnType type = typeOf(base);
        if (type == ColumnType.DECIMAL) {
            return new Column(
                    name, type, numericPrecision(base.typmod()), numericScale(base.typmod()), nullable, sourceType);
        }
        return new Column(name, type, 0, 0, nullable, sourceType);
    }

    static ColumnType typeOf(PgType t) {
        if (t.category() == 'A') {
            return ColumnType.JSON; // arrays travel as JSON array text
        }
        if (t.kind() == 'e') {
            return ColumnType.STRING; // enum label
        }
        switch (t.name()) {
            case "int2":
            case "int4":
                return ColumnType.INT32;
            case "int8":
                return ColumnType.INT64;
            case "numeric":
                return isBoundedDecimal(t.typmod()) ? ColumnType.DECIMAL : ColumnType.DECIMAL_TEXT;
            case "float4":
                return ColumnType.FLOAT32;
            case "float8":
                return ColumnType.FLOAT64;
            case "bool":
                return ColumnType.BOOLEAN;
            case "date":
                return ColumnType.DATE;
            case "time":
                return ColumnType.TIME;
            case "timestamp":
                return ColumnType.TIMESTAMP;
            case "timestamptz":
                return ColumnType.TIMESTAMP_TZ;
            case "uuid":
                return ColumnType.UUID;
            case "json":
            case "jsonb":
                return ColumnType.JSON;
            case "bytea":
                return ColumnType.BYTES;
            default:
                // text, varchar, bpchar, name, citext, and every type read through its text form
                return ColumnType.STRING;
        }
    }

    /**
     * Whether a numeric with this modifier fits {@link ColumnType#DECIMAL}: a declared precision of
     * at most 38 and a scale within 0..precision (PostgreSQL 15 also allows negative scales and
     * scales above the precision, which decimal types elsewhere do not).
     */
    private static boolean isBoundedDecimal(int typmod) {
        if (typmod < 4) {
            return false; // numeric without precision: any number of digits
        }
        int precision = numericPrecision(typmod);
        int scale = numericScale(typmod);
        return precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision;
    }

    /** Precision from a numeric typmod: {@code ((p << 16) | (s & 0x7ff)) + 4}. */
    static int numericPrecision(int typmod) {
        return ((typmod - 4) >> 16) & 0xffff;
    }

    /** Scale from a numeric typmod; an 11-bit two's complement number since PostgreSQL 15. */
    static int numericScale(int typmod) {
        return (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
    }
}
