package io.eltcdc.destination.postgres;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.sql.SqlDialect;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.checksum.JsonForm;
import java.sql.Connection;

/** PostgreSQL's type names and transaction-scoped temporary tables. */
final class PostgresSql implements SqlDialect {

    /** Names in a PostgreSQL connection are of its database already. */
    @Override
    public String catalog(Connection c) {
        return null;
    }

    @Override
    public String columnType(Column column) {
        return switch (column.type()) {
            case INT32 -> "integer";
            case INT64 -> "bigint";
            case FLOAT32 -> "real";
            case FLOAT64 -> "double precision";
            case BOOLEAN -> "boolean";
            case DECIMAL ->
                column.precision() < 1
                                || column.precision() > 1000
                                || column.scale() < 0
                                || column.scale() > column.precision()
                        ? "numeric"
                        : "numeric(" + column.precision() + "," + column.scale() + ")";
            case DECIMAL_TEXT -> "numeric";
            case STRING -> "text";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_TZ -> "timestamptz";
            case UUID -> "uuid";
            case JSON -> "jsonb";
            case BYTES -> "bytea";
        };
    }

    @Override
    public String opType() {
        return "text";
    }

    @Override
    public String positionType() {
        return "numeric(38,0)";
    }

    @Override
    public String syncedAtType() {
        return "timestamptz";
    }

    @Override
    public boolean declaresPrimaryKey() {
        return true; // INSERT … ON CONFLICT (key) needs it
    }

    @Override
    public String latestPerKey(String table, String key, String position) {
        return "SELECT DISTINCT ON (" + key + ") * FROM " + table + " ORDER BY " + key + ", " + position + " DESC";
    }

    @Override
    public String tempTable(String name) {
        return "pg_temp." + SqlIdentifiers.quote(name);
    }

    @Override
    public String createTempTable(String name, String columns) {
        return "CREATE TEMPORARY TABLE " + SqlIdentifiers.quote(name) + " (" + columns + ") ON COMMIT DROP";
    }

    @Override
    public String createTempTableAs(String name, String query) {
        return "CREATE TEMPORARY TABLE " + SqlIdentifiers.quote(name) + " ON COMMIT DROP AS " + query;
    }

    /** JSON columns are jsonb, whose text PostgreSQL normalises. */
    @Override
    public JsonForm jsonForm() {
        return JsonForm.JSONB;
    }

    @Override
    public DestinationChecksumSql checksumSql() {
        return new PostgresChecksumSql(this);
    }
}
