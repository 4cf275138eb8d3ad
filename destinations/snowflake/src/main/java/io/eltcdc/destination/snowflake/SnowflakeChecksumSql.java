package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.sql.ChecksumDialect;
import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.model.Column;
import io.eltcdc.model.checksum.JsonForm;

/**
 * {@code verify}'s row hash in Snowflake, over the target tables as the loader names and types them
 * ({@link SnowflakeSql}): {@code MD5_NUMBER_UPPER64} is the first 64 bits of the MD5 as an unsigned
 * number (the sum is a 38-digit {@code NUMBER}, taken modulo 2^64 by verify); epochs by
 * {@code DATE_PART(epoch_microsecond, …)} (of a {@code TIMESTAMP_TZ}: the instant), days and times by
 * {@code DATEDIFF}; logarithms by {@code LOG(10, …)}; bytes by {@code HEX_ENCODE(…, 0)} (lower case).
 *
 * <p>JSON columns are not compared: Snowflake keeps them as {@code VARIANT} and prints them in its own
 * form (keys reordered, numbers respelled), neither the text written nor PostgreSQL's {@code jsonb} text.
 * A table with a JSON column is reported as not compared, naming the column.
 */
final class SnowflakeChecksumSql extends DestinationChecksumSql {

    SnowflakeChecksumSql(ChecksumDialect dialect) {
        super(dialect, JsonForm.AS_WRITTEN);
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        throw new IllegalStateException("column '" + column.name() + "' is JSON, which Snowflake keeps as VARIANT"
                + " in a form of its own: verify cannot compare it with the source (leave the table out with --table)");
    }

    @Override
    protected String log10(String e) {
        return "LOG(10, " + e + ")";
    }

    @Override
    protected String bytesHex(String e) {
        return "HEX_ENCODE(" + e + ", 0)";
    }

    @Override
    protected String epochDays(String e) {
        return "DATEDIFF(day, '1970-01-01'::DATE, " + e + ")";
    }

    @Override
    protected String timeMicros(String e) {
        return "DATEDIFF(microsecond, '00:00:00'::TIME, " + e + ")";
    }

    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return "DATE_PART(epoch_microsecond, " + e + ")";
    }

    @Override
    protected String nonFiniteText(String e) {
        return e + " IN ('NaN'::FLOAT, 'inf'::FLOAT, '-inf'::FLOAT) THEN CASE WHEN " + e
                + " = 'NaN'::FLOAT THEN 'NaN' WHEN " + e + " > 0 THEN 'Infinity' ELSE '-Infinity' END";
    }

    @Override
    protected String hash64(String text) {
        return "MD5_NUMBER_UPPER64(" + text + ")";
    }
}
