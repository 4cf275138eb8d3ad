package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.sql.SqlDialect;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB's type names and temporary tables. Exact decimals without a usable precision
 * (DECIMAL_TEXT) are VARCHAR holding the exact text, since DuckDB's DECIMAL stops at 38 digits.
 */
final class DuckDbSql implements SqlDialect {
    private final boolean json;

    /** @param json whether the JSON type exists (the json extension is built in); else JSON is VARCHAR */
    DuckDbSql(boolean json) {
        this.json = json;
    }

    static boolean hasJsonType(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM duckdb_types() WHERE type_name = 'JSON'")) {
            return r.next() && r.getLong(1) > 0;
        }
    }

    /** The database's name (DuckDB takes it from the file name), so that a schema of the same name is never ambiguous. */
    @Override
    public String catalog(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_database()")) {
            r.next();
            return r.getString(1);
        }
    }

    @Override
    public String columnType(Column column) {
        return switch (column.type()) {
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "REAL";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case DECIMAL -> decimal(column);
            case DECIMAL_TEXT, STRING -> "VARCHAR";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_TZ -> "TIMESTAMPTZ";
            case UUID -> "UUID";
            case JSON -> json ? "JSON" : "VARCHAR";
            case BYTES -> "BLOB";
        };
    }

    private static String decimal(Column column) {
        if (column.precision() < 1
                || column.precision() > 38
                || column.scale() < 0
                || column.scale() > column.precision()) {
            throw new IllegalArgumentException("column '" + column.name() + "' has type " + column.typeText()
                    + ", which DuckDB's DECIMAL (precision 1 to 38, scale 0 to precision) cannot hold");
        }
        return "DECIMAL(" + column.precision() + "," + column.scale() + ")";
    }

    @Override
    public String opType() {
        return "VARCHAR";
    }

    @Override
    public String positionType() {
        return "DECIMAL(38,0)";
    }

    @Override
    public String syncedAtType() {
        return "TIMESTAMPTZ";
    }

    @Override
    public boolean declaresPrimaryKey() {
        return false; // ART indexes slow bulk loads, and constraint checks are over-eager within a transaction
    }

    /** QUALIFY with row_number(): a hash-partitioned window, several times faster in DuckDB than DISTINCT ON's sort. */
    @Override
    public String latestPerKey(String table, String key, String position) {
        return "SELECT * FROM " + table + " QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY " + position
                + " DESC) = 1";
    }

    /**
     * From {@code duckdb_columns()} directly: the information_schema view costs about 10 ms more on
     * the first use in a connection, and every load opens a new one.
     */
    @Override
    public String columnsQuery() {
        return "SELECT column_name FROM duckdb_columns()"
                + " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?"
                + " ORDER BY column_index";
    }

    @Override
    public String tempTable(String name) {
        return "temp.main." + SqlIdentifiers.quote(name);
    }

    @Override
    public String createTempTable(String name, String columns) {
        return "CREATE OR REPLACE TEMPORARY TABLE " + SqlIdentifiers.quote(name) + " (" + columns + ")";
    }

    @Override
    public String createTempTableAs(String name, String query) {
        return "CREATE OR REPLACE TEMPORARY TABLE " + SqlIdentifiers.quote(name) + " AS " + query;
    }

    @Override
    public DestinationChecksumSql checksumSql() {
        return new DuckDbChecksumSql(this);
    }
}
