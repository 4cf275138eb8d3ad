package io.eltcdc.destination.bigquery;

import com.google.cloud.bigquery.StandardSQLTypeName;

/**
 * What to do when a target column's type differs from the type the batch needs (the source changed
 * the column's type): keep it where it already holds every value of the new type, widen it where
 * BigQuery's {@code ALTER COLUMN … SET DATA TYPE} can (INT64 to NUMERIC or BIGNUMERIC with enough
 * integer digits, NUMERIC to BIGNUMERIC, a decimal to one with more digits), refuse anything else.
 * (INT32 and INT64 are both INT64 in BigQuery, and FLOAT32 and FLOAT64 both FLOAT64: those
 * changes need nothing.)
 */
final class BigQueryTypeChange {
    /** Integer digits of INT64's range. */
    private static final int INT64_DIGITS = 19;

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

    /** Whether a column of type {@code wider} takes every value of {@code narrower} (and BigQuery can change one to the other). */
    private static boolean holds(BigQueryType wider, BigQueryType narrower) {
        StandardSQLTypeName w = wider.name();
        StandardSQLTypeName n = narrower.name();
        if (BigQueryType.isDecimal(w) && BigQueryType.isDecimal(n)) {
            if (w == StandardSQLTypeName.NUMERIC && n == StandardSQLTypeName.BIGNUMERIC) {
                return false; // ALTER COLUMN cannot narrow the type family, even where the digits would fit
            }
            return wider.integerDigits() >= narrower.integerDigits()
                    && wider.fractionDigits() >= narrower.fractionDigits();
        }
        if (BigQueryType.isDecimal(w) && n == StandardSQLTypeName.INT64) {
            return wider.integerDigits() >= INT64_DIGITS;
        }
        return w == n;
    }
}
