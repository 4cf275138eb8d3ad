package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.model.Column;

/**
 * A column type of a BigQuery table: the type name, and precision and scale for the parameterized
 * {@code NUMERIC(P, S)} and {@code BIGNUMERIC(P, S)} (-1 when the type has none).
 *
 * <p>The mapping of pipeline types ({@link #of(Column)}): integers are INT64, floats FLOAT64,
 * decimals NUMERIC(p, s) where NUMERIC holds them (scale at most 9, at most 29 integer digits)
 * and BIGNUMERIC(p, s) otherwise (every DECIMAL, precision at most 38, fits), exact decimals
 * without a precision STRING (their text, never rounded: BIGNUMERIC stops at scale 38), text and
 * UUIDs STRING, JSON JSON, bytes BYTES, DATE, TIME, DATETIME for a timestamp without time zone and
 * TIMESTAMP for an instant. These are also the types a load job with Avro logical types gives the
 * staged fields (with decimal target types NUMERIC, BIGNUMERIC, STRING), except JSON, staged as
 * STRING and parsed in the merge, and DATETIME, staged as INT64 micros and converted in the merge
 * ({@link StagedLayout}).
 */
public record BigQueryType(StandardSQLTypeName name, int precision, int scale) {
    /** {@code _elt_position}: staged as Avro decimal(38, 0), which needs BIGNUMERIC (NUMERIC has 29 integer digits). */
    public static final BigQueryType POSITION = new BigQueryType(StandardSQLTypeName.BIGNUMERIC, 38, 0);

    public static final BigQueryType OP = of(StandardSQLTypeName.STRING);
    public static final BigQueryType SYNCED_AT = of(StandardSQLTypeName.TIMESTAMP);
    public static final BigQueryType DELETED = of(StandardSQLTypeName.BOOL);
    /** NUMERIC's limits: scale and integer digits. */
    static final int NUMERIC_SCALE = 9;

    static final int NUMERIC_INTEGER_DIGITS = 29;
    static final int BIGNUMERIC_SCALE = 38;
    static final int BIGNUMERIC_INTEGER_DIGITS = 38;

    public static BigQueryType of(StandardSQLTypeName name) {
        return new BigQueryType(name, -1, -1);
    }

    /** The BigQuery type of a source column. */
    public static BigQueryType of(Column column) {
        return switch (column.type()) {
            case INT32, INT64 -> of(StandardSQLTypeName.INT64);
            case FLOAT32, FLOAT64 -> of(StandardSQLTypeName.FLOAT64);
            case BOOLEAN -> of(StandardSQLTypeName.BOOL);
            case DECIMAL -> decimal(column.precision(), column.scale());
            case DECIMAL_TEXT, STRING, UUID -> of(StandardSQLTypeName.STRING);
            case DATE -> of(StandardSQLTypeName.DATE);
            case TIME -> of(StandardSQLTypeName.TIME);
            case TIMESTAMP -> of(StandardSQLTypeName.DATETIME);
            case TIMESTAMP_TZ -> of(StandardSQLTypeName.TIMESTAMP);
            case JSON -> of(StandardSQLTypeName.JSON);
            case BYTES -> of(StandardSQLTypeName.BYTES);
        };
    }

    /** NUMERIC(p, s) where it holds every value of decimal(p, s), else BIGNUMERIC(p, s). */
    static BigQueryType decimal(int precision, int scale) {
        if (precision < 1
                || scale < 0
                || scale > precision
                || precision - scale > BIGNUMERIC_INTEGER_DIGITS
                || scale > BIGNUMERIC_SCALE) {
            return of(StandardSQLTypeName.BIGNUMERIC); // no usable precision: the widest exact type
        }
        boolean numeric = scale <= NUMERIC_SCALE && precision - scale <= NUMERIC_INTEGER_DIGITS;
        return new BigQueryType(
                numeric ? StandardSQLTypeName.NUMERIC : StandardSQLTypeName.BIGNUMERIC, precision, scale);
    }

    /** The type of an existing table's field. */
    public static BigQueryType of(Field field) {
        StandardSQLTypeName name = field.getType().getStandardType();
        if (name == null) {
            throw new IllegalStateException(
                    "column " + field.getName() + " has type " + field.getType() + ", which elt-cdc does not know");
        }
        if (isDecimal(name) && field.getPrecision() != null) {
            return new BigQueryType(
                    name,
                    field.getPrecision().intValue(),
                    field.getScale() == null ? 0 : field.getScale().intValue());
        }
        return of(name);
    }

    static boolean isDecimal(StandardSQLTypeName name) {
        return name == StandardSQLTypeName.NUMERIC || name == StandardSQLTypeName.BIGNUMERIC;
    }

    public boolean hasPrecision() {
        return precision >= 0;
    }

    /** Integer digits it holds: precision - scale, or the unparameterized type's. */
    int integerDigits() {
        if (hasPrecision()) {
            return precision - scale;
        }
        return name == StandardSQLTypeName.NUMERIC ? NUMERIC_INTEGER_DIGITS : BIGNUMERIC_INTEGER_DIGITS;
    }

    /** Digits after the point it holds. */
    int fractionDigits() {
        if (hasPrecision()) {
            return scale;
        }
        return name == StandardSQLTypeName.NUMERIC ? NUMERIC_SCALE : BIGNUMERIC_SCALE;
    }

    /** The type in DDL: {@code INT64}, {@code NUMERIC(12, 2)}. */
    public String sql() {
        return hasPrecision() ? name.name() + "(" + precision + ", " + scale + ")" : name.name();
    }

    @Override
    public String toString() {
        return sql();
    }
}
