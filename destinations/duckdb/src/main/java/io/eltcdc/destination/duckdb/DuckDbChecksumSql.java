package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.sql.SqlDialect;
import io.eltcdc.model.checksum.JsonForm;

/** {@code verify}'s row hash in DuckDB: its own spelling of hex, epochs and MD5's first 64 bits. */
final class DuckDbChecksumSql extends DestinationChecksumSql {

    DuckDbChecksumSql(SqlDialect dialect) {
        super(dialect, JsonForm.AS_WRITTEN);
    }

    @Override
    protected String bytesHex(String e) {
        return "lower(hex(" + e + "))";
    }

    @Override
    protected String timeMicros(String e) {
        return "epoch_us(DATE '1970-01-01' + " + e + ")";
    }

    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return "epoch_us(" + e + ")";
    }

    @Override
    protected String nonFiniteText(String e) {
        return "(isnan(" + e + ") OR isinf(" + e + ")) THEN CASE WHEN isnan(" + e + ") THEN 'NaN' WHEN " + e
                + " > 0 THEN 'Infinity' ELSE '-Infinity' END";
    }

    @Override
    protected String hash64(String text) {
        return "CAST('0x' || substr(md5(" + text + "), 1, 16) AS UBIGINT)";
    }
}
