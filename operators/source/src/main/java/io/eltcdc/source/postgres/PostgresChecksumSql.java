package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.checksum.JsonForm;
import io.eltcdc.model.checksum.RowChecksumSql;

/**
 * {@code verify}'s row hash over a PostgreSQL source table: values spelled as the snapshot reads
 * them ({@link PostgresChunkQueries#selectExpression}): {@code char(n)} with its padding, types without
 * a pipeline type by their output function, JSON (and arrays) through {@code to_json}, or
 * {@code to_jsonb} for a destination that keeps jsonb.
 */
final class PostgresChecksumSql extends RowChecksumSql {

    PostgresChecksumSql(JsonForm json) {
        super(json);
    }

    @Override
    protected String columnRef(String name) {
        return SqlIdentifiers.quote(name);
    }

    @Override
    protected String integerText(String e) {
        return "CAST(" + e + " AS bigint)::text";
    }

    @Override
    protected String decimalText(String e, Column column) {
        return e + "::text";
    }

    @Override
    protected String exactDecimalText(String e, Column column) {
        return outputText(e);
    }

    @Override
    protected String stringText(String e, Column column) {
        String type = column.sourceType();
        if (type.equals("bpchar") || type.equals("character") || type.startsWith("character(")) {
            return "CASE WHEN " + e + " IS NOT NULL THEN format('%s', " + e + ") END"; // keeps the padding
        }
        return PostgresChunkQueries.isTextType(type) ? e + "::text" : outputText(e);
    }

    private static String outputText(String e) {
        return "CASE WHEN num_nulls(" + e + ") = 0 THEN format('%s', " + e + ") END";
    }

    @Override
    protected String jsonText(String e, Column column, JsonForm form) {
        return (form == JsonForm.JSONB ? "to_jsonb(" : "to_json(") + e + ")::text";
    }

    @Override
    protected String uuidText(String e) {
        return e + "::text";
    }

    @Override
    protected String bytesHex(String e) {
        return "encode(" + e + ", 'hex')";
    }

    @Override
    protected String epochDays(String e) {
        return "(" + e + " - DATE '1970-01-01')";
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
