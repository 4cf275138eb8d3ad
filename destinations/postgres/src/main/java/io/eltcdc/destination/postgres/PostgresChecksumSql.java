package io.eltcdc.destination.postgres;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.sql.SqlDialect;
import io.eltcdc.model.checksum.JsonForm;

/** {@code verify}'s row hash in a PostgreSQL destination, whose JSON columns are jsonb. */
final class PostgresChecksumSql extends DestinationChecksumSql {

    PostgresChecksumSql(SqlDialect dialect) {
        super(dialect, JsonForm.JSONB);
    }

    @Override
    protected String bytesHex(String e) {
        return "encode(" + e + ", 'hex')";
    }

    @Override
    protected String timeMicros(String e) {
        return "(extract(epoch FROM " + e + ") * 1000000)";
    }

    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return "(extract(epoch FROM " + e + ") * 1000000)";
    }

    @Override
    protected String nonFiniteText(String e) {
        return e + " IN ('NaN', 'Infinity', '-Infinity') THEN " + e + "::text";
    }

    @Override
    protected String hash64(String text) {
        return "('x' || substr(md5(" + text + "), 1, 16))::bit(64)::bigint";
    }
}
