package io.eltcdc.destination.sql;

import io.eltcdc.model.Column;
import io.eltcdc.model.checksum.JsonForm;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What {@link JdbcTableChecksums} needs of a JDBC destination to find a target table and hash its
 * rows: how the loader names tables and columns, their types, the catalog query of a table's columns
 * and the row hash. Every {@link SqlDialect} is one; Redshift, which renders its own load statements,
 * has one of its own.
 */
public interface ChecksumDialect {

    /**
     * The catalog to qualify table names with on {@code c}, or null where {@code "schema"."table"}
     * is unambiguous.
     */
    String catalog(Connection c) throws SQLException;

    /**
     * The name under which this destination keeps the schema, table or column {@code name} (a
     * source's name, or a metadata column's): {@code name} itself, unless the destination has a
     * naming convention of its own (Snowflake's upper case, Redshift's lower case). {@link MergeSql}
     * writes every name through it, also names the caller converted already: applied to its own
     * result it must change nothing.
     */
    default String identifier(String name) {
        return name;
    }

    /** The SQL type of a source column in this destination. */
    String columnType(Column column);

    /**
     * A query of the column names of the table {@code ?} (second parameter) in schema {@code ?} (first)
     * of the current database, in table order.
     */
    default String columnsQuery() {
        return "SELECT column_name FROM information_schema.columns"
                + " WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?"
                + " ORDER BY ordinal_position";
    }

    /** How target tables keep JSON values ({@link #columnType} of a JSON column). */
    default JsonForm jsonForm() {
        return JsonForm.AS_WRITTEN;
    }

    /** {@code verify}'s row hash in this destination's SQL, or null where verify does not read it yet. */
    default DestinationChecksumSql checksumSql() {
        return null;
    }
}
