package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RowChecksumSql;
import java.util.List;

/**
 * {@code verify}'s row hash over a MySQL or MariaDB table, in a session whose time zone is UTC
 * ({@link MySqlDialect#setUpSession}). Text is converted to utf8mb4 with one binary collation, so
 * columns of any character set and collation concatenate. JSON is the server's text (MySQL's JSON
 * type normalises it much as jsonb does; MariaDB keeps the text written).
 */
final class MySqlChecksumSql extends RowChecksumSql {

    MySqlChecksumSql(JsonForm json) {
        super(json);
    }

    @Override
    protected String columnRef(String name) {
        return MySqlIdentifiers.quote(name);
    }

    @Override
    protected String concat(List<String> parts) {
        return "CONCAT(" + String.join(", ", parts) + ")";
    }

    @Override
    protected String integerText(String e) {
        return "CAST(CAST(" + e + " AS SIGNED) AS CHAR)";
    }

    @Override
    protected String decimalText(String e, Column column) {
        return "CAST(" + e + " AS CHAR)";
    }

    @Override
    protected String exactDecimalText(String e, Column column) {
        return "CAST(" + e + " AS CHAR)";
    }

    /** {@code tinyint(1)} and {@code bit(1)}: any value but 0 is true, as the readers take it. */
    @Override
    protected String booleanText(String e) {
        return "CASE WHEN " + e + " <> 0 THEN 't' WHEN " + e + " = 0 THEN 'f' END";
    }

    @Override
    protected String stringText(String e, Column column) {
        return "(CONVERT(" + e + " USING utf8mb4) COLLATE utf8mb4_bin)";
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        return "(CONVERT(" + e + " USING utf8mb4) COLLATE utf8mb4_bin)";
    }

    @Override
    protected String uuidText(String e) {
        return "LOWER(CAST(" + e + " AS CHAR))";
    }

    @Override
    protected String bytesHex(String e) {
        return "LOWER(HEX(" + e + "))";
    }

    @Override
    protected String epochDays(String e) {
        return "DATEDIFF(" + e + ", '1970-01-01')";
    }

    @Override
    protected String timeMicros(String e) {
        return "(TIME_TO_SEC(" + e + ") * 1000000)";
    }

    /** In the session's UTC: a TIMESTAMP column's instant, a DATETIME's wall clock read as UTC. */
    @Override
    protected String timestampMicros(String e, boolean withZone) {
        return "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + e + ")";
    }

    @Override
    protected String hash64(String text) {
        return "CAST(CONV(SUBSTR(MD5(" + text + "), 1, 16), 16, 10) AS UNSIGNED)";
    }
}
