package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.sql.DestinationChecksumSql;
import io.eltcdc.destination.sql.SqlDialect;
import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;

/**
 * Snowflake's type names, temporary tables and aggregates, for the shared merge statements
 * ({@link io.eltcdc.destination.sql.MergeSql}).
 *
 * <p>Temporary tables live in the {@value SnowflakeLedger#SCHEMA} schema (which the destination
 * creates, so the session needs no current schema) and carry the number of the batch part they
 * belong to: a batch whose column types changed within it stages each part before the one
 * transaction that merges them all, since every DDL statement, also {@code CREATE TEMPORARY TABLE},
 * commits Snowflake's open transaction.
 *
 * <p>Integers are {@code NUMBER(10,0)} and {@code NUMBER(19,0)} rather than Snowflake's
 * {@code INTEGER} (which is {@code NUMBER(38,0)}): the catalog then tells the two apart, so
 * a column widened from integer to bigint in the source is widened here too, and readers get
 * the Java type that fits.
 */
final class SnowflakeSql implements SqlDialect {
    /** The largest precision of Snowflake's NUMBER. */
    static final int MAX_PRECISION = 38;

    private final int part;
    private final SnowflakeNames names;

    /**
     * @param part the batch part whose temporary tables this dialect names (0 for the first)
     * @param names how target tables and their columns are named
     */
    SnowflakeSql(int part, SnowflakeNames names) {
        this.part = part;
        this.names = names;
    }

    /** Target schemas, tables and columns (metadata columns too) as {@link SnowflakeNames} keeps them. */
    @Override
    public String identifier(String name) {
        return names.identifier(name);
    }

    /** {@code name} for SQL: {@link #identifier}, quoted. */
    String quote(String name) {
        return names.quote(name);
    }

    /** Names are resolved in the connection's database (the {@code database} setting). */
    @Override
    public String catalog(Connection c) {
        return null;
    }

    @Override
    public String columnType(Column column) {
        return typeOf(column);
    }

    /** The Snowflake type of a source column (see the README's type mapping). */
    static String typeOf(Column column) {
        return switch (column.type()) {
            case INT32 -> "NUMBER(10,0)";
            case INT64 -> "NUMBER(19,0)";
            case FLOAT32, FLOAT64 -> "FLOAT"; // Snowflake's only binary floating point type: 64 bits
            case BOOLEAN -> "BOOLEAN";
            case DECIMAL ->
                column.precision() < 1
                                || column.precision() > MAX_PRECISION
                                || column.scale() < 0
                                || column.scale() > column.precision()
                        ? "VARCHAR" // no NUMBER holds it: the exact text, as DECIMAL_TEXT
                        : "NUMBER(" + column.precision() + "," + column.scale() + ")";
            case DECIMAL_TEXT, STRING -> "VARCHAR"; // NUMBER stops at 38 digits; the text is exact
            case DATE -> "DATE";
            case TIME -> "TIME(6)";
            case TIMESTAMP -> "TIMESTAMP_NTZ(6)";
            case TIMESTAMP_TZ -> "TIMESTAMP_TZ(6)";
            case UUID -> "VARCHAR(36)";
            case JSON -> "VARIANT";
            case BYTES -> "BINARY";
        };
    }

    /** The loader's catalog query ({@link SnowflakeDdlSql#columnsQuery}): column names first. */
    @Override
    public String columnsQuery() {
        return SnowflakeDdlSql.columnsQuery();
    }

    @Override
    public DestinationChecksumSql checksumSql() {
        return new SnowflakeChecksumSql(this);
    }

    @Override
    public String opType() {
        return "VARCHAR";
    }

    @Override
    public String positionType() {
        return "NUMBER(38,0)";
    }

    @Override
    public String syncedAtType() {
        return "TIMESTAMP_TZ(6)";
    }

    /** MAX_BY ignores rows whose ordering value is NULL: the rows the filter leaves out. */
    @Override
    public String latestValue(String value, String order, String filter) {
        return "MAX_BY(" + value + ", IFF(" + filter + ", " + order + ", NULL))";
    }

    @Override
    public String anyOf(String condition) {
        return "BOOLOR_AGG(" + condition + ")";
    }

    /** Snowflake does not enforce primary keys, and the merge does not need one. */
    @Override
    public boolean declaresPrimaryKey() {
        return false;
    }

    /** One row per key: Snowflake's MERGE fails (or is nondeterministic) when source keys repeat. */
    @Override
    public String latestPerKey(String table, String key, String position) {
        return "SELECT * FROM " + table + " QUALIFY ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY " + position
                + " DESC) = 1";
    }

    @Override
    public String tempTable(String name) {
        return SnowflakeLedger.SCHEMA + "." + SqlIdentifiers.quote(name + "_" + part);
    }

    @Override
    public String createTempTable(String name, String columns) {
        return "CREATE OR REPLACE TEMPORARY TABLE " + tempTable(name) + " (" + columns + ")";
    }

    @Override
    public String createTempTableAs(String name, String query) {
        return "CREATE OR REPLACE TEMPORARY TABLE " + tempTable(name) + " AS " + query;
    }
}
