package io.eltcdc.destination;

import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import java.util.Objects;

/**
 * The destination table of a source table: same schema and table names, exactly, or the table in
 * {@code schemaOverride} when one is configured.
 *
 * @param catalog the database to name in SQL, or null where {@code "schema"."table"} is unambiguous
 *     (DuckDB names its database after the file, so a schema of the file's name would be ambiguous
 *     without it)
 */
public record TargetTable(String catalog, String schema, String table) {
    public TargetTable {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    public static TargetTable of(String catalog, TableId source, String schemaOverride) {
        return new TargetTable(
                catalog,
                schemaOverride == null || schemaOverride.isEmpty() ? source.schema() : schemaOverride,
                source.table());
    }

    /** {@code "catalog"."schema"."table"} or {@code "schema"."table"}, for SQL. */
    public String sql() {
        return (catalog == null ? "" : SqlIdentifiers.quote(catalog) + ".") + SqlIdentifiers.qualified(schema, table);
    }

    /** {@code schema.table}, unquoted: for messages and the ledger. */
    @Override
    public String toString() {
        return schema + "." + table;
    }
}
