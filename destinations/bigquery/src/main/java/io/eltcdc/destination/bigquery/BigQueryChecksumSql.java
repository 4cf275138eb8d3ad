package io.eltcdc.destination.bigquery;

import io.eltcdc.model.Column;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RowChecksumSql;

/**
 * {@code verify}'s row hash in GoogleSQL, over the target tables as the loader names and types them
 * ({@link BigQueryNames#column}, {@link BigQueryType}):
 *
 * <ul>
 *   <li>{@code MD5} returns BYTES: its first 8 bytes are read as two 32-bit halves (a hex string cast
 *       to {@code INT64} must fit a signed 64-bit integer) and joined in a {@code NUMERIC} (the
 *       unsigned value; the sum, also {@code NUMERIC}, is taken modulo 2^64 by verify);
 *   <li>a {@code decimal(p,s)} ({@code NUMERIC}/{@code BIGNUMERIC}, whose text drops trailing zeros)
 *       by {@code FORMAT('%.sf')}, exact for both types;
 *   <li>days {@code UNIX_DATE}, microseconds {@code UNIX_MICROS} (a {@code DATETIME} taken as UTC) and
 *       {@code TIME_DIFF}; bytes {@code TO_HEX} (lower case).
 * </ul>
 *
 * <p>JSON columns are not compared: BigQuery's {@code JSON} type keeps the value and prints it in its own
 * form, neither the text written nor PostgreSQL's {@code jsonb} text. A table with a JSON column is
 * reported as not compared, naming the column.
 */
final class BigQueryChecksumSql extends RowChecksumSql {

    BigQueryChecksumSql() {
        super(JsonForm.AS_WRITTEN);
    }

    /** {@code e} as text. */
    String asText(String e) {
        return "CAST(" + e + " AS STRING)";
    }

    @Override
    protected String columnRef(String name) {
        return BigQueryNames.quote(BigQueryNames.column(name));
    }

    @Override
    protected String literal(String value) {
        return BigQueryNames.literal(value);
    }

    @Override
    protected String integerText(String e) {
        return asText("CAST(" + e + " AS INT64)");
    }

    @Override
    protected String decimalText(String e, Column column) {
        BigQueryType type = BigQueryType.of(column);
        return type.hasPrecision() ? "FORMAT('%." + column.scale() + "f', " + e + ")" : asText(e);
    }

    @Override
    protected String exactDecimalText(String e, Column column) {
        return e;
    }

    @Override
    protected String stringText(String e, Column column) {
        return e;
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        throw new IllegalStateException("column '" + column.name() + "' is JSON, which BigQuery keeps in a form of"
                + " its own: verify cannot compare it with the source (leave the table out with --table)");
    }

    @Override
    protected String uuidText(String e) {
        return "LOWER(" + e + ")";
    }

    @Override
    protected String bytesHex(String e) {
        return "TO_HEX(" + e + ")";
    }

    @Override
    protected String epochDays(String e) {
        return "UNIX_DATE(" + e + ")";
    }

    @Override
    protected String timeMicros(String e) {
        return "TIME_DIFF(" + e + ", TIME '00:00:00', MICROSECOND)";
    }

    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return withZone ? "UNIX_MICROS(" + e + ")" : "UNIX_MICROS(TIMESTAMP(" + e + ", 'UTC'))";
    }

    @Override
    protected String nonFiniteText(String e) {
        return "(IS_NAN(" + e + ") OR IS_INF(" + e + ")) THEN CASE WHEN IS_NAN(" + e + ") THEN 'NaN' WHEN " + e
                + " > 0 THEN 'Infinity' ELSE '-Infinity' END";
    }

    @Override
    protected String hash64(String text) {
        String md5 = "MD5(" + text + ")";
        return "(CAST(CAST(CONCAT('0x', TO_HEX(SUBSTR(" + md5 + ", 1, 4))) AS INT64) AS NUMERIC) * 4294967296"
                + " + CAST(CONCAT('0x', TO_HEX(SUBSTR(" + md5 + ", 5, 4))) AS INT64))";
    }
}
