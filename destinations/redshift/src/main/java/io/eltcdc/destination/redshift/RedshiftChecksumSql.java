package io.eltcdc.destination.redshift;

import io.eltcdc.destination.sql.ChecksumDialect;
import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.model.Column;
import io.eltcdc.model.checksum.JsonForm;
import java.sql.Connection;

/**
 * {@code verify}'s row hash in Redshift, and the names and types {@link
 * io.eltcdc.destination.sql.JdbcTableChecksums} finds the target table by: lower-cased names
 * ({@link RedshiftNames#fold}), the loader's types ({@link RedshiftTypes#columnType}).
 *
 * <ul>
 *   <li>Text casts name their length: Redshift's {@code VARCHAR} alone is {@code VARCHAR(256)}.
 *   <li>Days, microseconds since midnight and since 1970 by {@code DATEDIFF} (a {@code BIGINT}; a
 *       timestamp with zone first taken to UTC), not {@code EXTRACT(epoch …)}, whose seconds lose
 *       the microseconds.
 *   <li>The first 64 bits of the MD5: {@code STRTOL} reads signed 64-bit integers only, so the two
 *       32-bit halves of the hex digits are read apart and joined in a {@code DECIMAL(20,0)} (the
 *       unsigned value; the sum is a 38-digit {@code NUMERIC}, taken modulo 2^64 by verify).
 *   <li>Base-10 logarithm {@code DLOG10}: {@code LOG} and {@code SUBSTR} run on the leader node only,
 *       and fail in a query of a table.
 * </ul>
 *
 * A row's text is a {@code VARCHAR}, at most 65,535 bytes in Redshift: a row whose canonical text is
 * longer fails the query with Redshift's error (the table is then reported as not compared).
 */
final class RedshiftChecksumSql extends DestinationChecksumSql {
    static final String TEXT = "VARCHAR(" + RedshiftTypes.MAX_VARCHAR_BYTES + ")";

    /** The names and types of Redshift's target tables, for {@link io.eltcdc.destination.sql.JdbcTableChecksums}. */
    static final class Dialect implements ChecksumDialect {
        private final RedshiftChecksumSql sql = new RedshiftChecksumSql(this);

        @Override
        public String catalog(Connection c) {
            return null;
        }

        @Override
        public String identifier(String name) {
            return RedshiftNames.fold(name);
        }

        @Override
        public String columnType(Column column) {
            return RedshiftTypes.columnType(column);
        }

        @Override
        public DestinationChecksumSql checksumSql() {
            return sql;
        }
    }

    private RedshiftChecksumSql(ChecksumDialect dialect) {
        super(dialect, JsonForm.AS_WRITTEN);
    }

    @Override
    public String asText(String e) {
        return "CAST(" + e + " AS " + TEXT + ")";
    }

    @Override
    protected String log10(String e) {
        return "DLOG10(" + e + ")";
    }

    @Override
    protected String bytesHex(String e) {
        return "lower(FROM_VARBYTE(" + e + ", 'hex'))";
    }

    @Override
    protected String epochDays(String e) {
        return "DATEDIFF(day, DATE '1970-01-01', " + e + ")";
    }

    @Override
    protected String timeMicros(String e) {
        return "DATEDIFF(microsecond, TIME '00:00:00', " + e + ")";
    }

    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return "DATEDIFF(microsecond, TIMESTAMP '1970-01-01 00:00:00', "
                + (withZone ? "(" + e + " AT TIME ZONE 'UTC')" : e) + ")";
    }

    @Override
    protected String nonFiniteText(String e) {
        return e + " IN ('NaN', 'Infinity', '-Infinity') THEN " + asText(e);
    }

    @Override
    protected String hash64(String text) {
        String md5 = "MD5(" + text + ")";
        return "(CAST(STRTOL(SUBSTRING(" + md5 + ", 1, 8), 16) AS DECIMAL(20,0)) * 4294967296 + STRTOL(SUBSTRING(" + md5
                + ", 9, 8), 16))";
    }
}
