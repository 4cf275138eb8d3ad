package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.StandardSQLTypeName;
import io.eltcdc.destination.ColumnTypeChange;

/**
 * What to do when a target column's type differs from the type the batch needs (the source changed
 * the column's type): keep it where it already holds every value of the new type, widen it where
 * BigQuery's {@code ALTER COLUMN … SET DATA TYPE} can (INT64 to NUMERIC or BIGNUMERIC with enough
 * integer digits, NUMERIC to BIGNUMERIC, a decimal to one with more digits), refuse anything else.
 * (INT32 and INT64 are both INT64 in BigQuery, and FLOAT32 and FLOAT64 both FLOAT64: those
 * changes need nothing.)
 */
final class BigQueryTypeChange {
    enum Verdict {
        SAME,
        WIDEN,
        INCOMPATIBLE
    }

    private BigQueryTypeChange() {}

    static Verdict judge(BigQueryType existing, BigQueryType wanted) {
        if (existing.equals(wanted) || holds(existing, wanted)) {
            return Verdict.SAME;
        }
        return holds(wanted, existing) ? Verdict.WIDEN : Verdict.INCOMPATIBLE;
    }

    /**
     * Whether a column of type {@code wider} takes every value of {@code narrower}: by the rule of
     * every destination ({@link ColumnTypeChange#holds}), where BigQuery assigns the value at all (it
     * converts no other type on assignment) and its ALTER COLUMN can change the one to the other.
     */
    private static boolean holds(BigQueryType wider, BigQueryType narrower) {
        StandardSQLTypeName w = wider.name();
        StandardSQLTypeName n = narrower.name();
        if (w == StandardSQLTypeName.NUMERIC && n == StandardSQLTypeName.BIGNUMERIC) {
            return false; // ALTER COLUMN cannot narrow the type family, even where the digits would fit
        }
        if (!BigQueryType.isDecimal(w)) {
            return w == n;
        }
        return (BigQueryType.isDecimal(n) || n == StandardSQLTypeName.INT64)
                && ColumnTypeChange.holds(shape(wider), shape(narrower));
    }

    /** A NUMERIC or BIGNUMERIC as a decimal of its digits, an INT64 as a 64-bit integer. */
    private static ColumnTypeChange.Type shape(BigQueryType type) {
        if (type.name() == StandardSQLTypeName.INT64) {
            return new ColumnTypeChange.Type(ColumnTypeChange.Kind.INT64, -1, -1, "INT64");
        }
        return new ColumnTypeChange.Type(
                ColumnTypeChange.Kind.DECIMAL,
                type.integerDigits() + type.fractionDigits(),
                type.fractionDigits(),
                type.name().name());
    }
}
