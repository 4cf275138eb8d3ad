package io.eltcdc.source.postgres;

import io.eltcdc.model.Column;
import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.TableSelection;
import io.eltcdc.source.postgres.PostgresTypes.PgType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the tables a pipeline reads and describes them: columns in ordinal order with their
 * pipeline types, and the key (primary key columns in key order, or the configured custom key).
 */
public final class PostgresCatalog {
    /** How a table pattern is written, for messages. */
    private static final String FORM = "schema.table or schema.*";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalog.class);

    private static final String RELATION = "SELECT c.oid, c.relkind FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
    private static final String SCHEMA_EXISTS = "SELECT 1 FROM pg_namespace WHERE nspname = ?";
    // Partitions are left out: their rows are read through their partitioned table.
    private static final String TABLES_OF_SCHEMA = "SELECT c.relname FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname";
    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
            + " a.atttypid, a.atttypmod FROM pg_attribute a"
            + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    private static final String TYPE =
            "SELECT typname, typtype, typcategory, typbasetype, typtypmod" + " FROM pg_type WHERE oid = ?";
    private static final String PRIMARY_KEY = "SELECT a.attname FROM pg_index i"
            + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
            + " WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.ord";

    private PostgresCatalog() {}

    /**
     * The tables {@code patterns} select, in pattern order, each once.
     *
     * @param patterns {@code schema.table} (split at the first dot; exact, case-sensitive names) or
     *     {@code schema.*} (every ordinary and partitioned table of the schema)
     * @param customKeys key columns by {@code schema.table}, used instead of the primary key
     * @throws IllegalArgumentException for a pattern naming an unknown schema or table, a relation
     *     that is not a table, or a custom key naming an unknown column or an unselected table
     */
    public static List<TableSchema> discover(Connection c, List<String> patterns, Map<String, List<String>> customKeys)
            throws SQLException {
        TableSelection.Selected selected = TableSelection.select(patterns, customKeys, FORM, p -> resolve(c, p));
        Set<TableId> tables = selected.tables();
        Map<TableId, List<String>> keys = selected.customKeys();
        Map<TypeRef, PgType> typeCache = new HashMap<>();
        List<TableSchema> schemas = new ArrayList<>(tables.size());
        for (TableId table : tables) {
            schemas.add(describe(c, table, keys.get(table), typeCache));
        }
        return schemas;
    }

    private static List<TableId> resolve(Connection c, String pattern) throws SQLException {
        TableId id = parse(pattern, "table pattern");
        if (id.table().equals("*")) {
            if (!schemaExists(c, id.schema())) {
                throw new IllegalArgumentException("table pattern '" + pattern + "': schema '" + id.schema()
                        + "' does not exist in database '" + c.getCatalog() + "' (names are case-sensitive)");
            }
            List<TableId> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(TABLES_OF_SCHEMA)) {
                ps.setString(1, id.schema());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new TableId(id.schema(), rs.getString(1)));
                    }
                }
            }
            if (found.isEmpty()) {
                LOG.warn("Table pattern '{}' matches no table: schema '{}' has no tables", pattern, id.schema());
            }
            return found;
        }
        Relation relation = relation(c, id);
        if (relation == null) {
            throw new IllegalArgumentException("table pattern '" + pattern + "': table " + SqlIdentifiers.quote(id)
                    + " does not exist in database '" + c.getCatalog()
                    + "' (schema and table names are case-sensitive; the pattern is split at its first dot)");
        }
        if (relation.kind() != 'r' && relation.kind() != 'p') {
            throw new IllegalArgumentException(
                    "table pattern '" + pattern + "': " + SqlIdentifiers.quote(id) + " is not a table (relkind '"
                            + relation.kind() + "'); only ordinary and partitioned tables can be read");
        }
        return List.of(id);
    }

    private static TableId parse(String text, String what) {
        return TableSelection.parse(text, what, FORM);
    }

    private static boolean schemaExists(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SCHEMA_EXISTS)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private record Relation(long oid, char kind) {}

    private static Relation relation(Connection c, TableId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RELATION)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Relation(rs.getLong(1), rs.getString(2).charAt(0)) : null;
            }
        }
    }

    private static TableSchema describe(
            Connection c, TableId id, List<String> customKey, Map<TypeRef, PgType> typeCache) throws SQLException {
        Relation relation = relation(c, id);
        if (relation == null) {
            throw new IllegalArgumentException(
                    "table " + SqlIdentifiers.quote(id) + " disappeared while it was being described");
        }
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setLong(1, relation.oid());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PgType base = baseType(c, rs.getLong(4), rs.getInt(5), typeCache);
                    columns.add(PostgresTypes.column(rs.getString(1), base, !rs.getBoolean(3), rs.getString(2)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + SqlIdentifiers.quote(id) + " has no columns to read");
        }
        List<String> key = customKey != null ? customKey : primaryKey(c, relation.oid());
        if (customKey != null) {
            for (String column : customKey) {
                if (columns.stream().noneMatch(col -> col.name().equals(column))) {
                    throw new IllegalArgumentException("source.primary-keys for table '" + id + "' names column '"
                            + column + "', which the table does not have; its columns are "
                            + columns.stream().map(Column::name).toList() + " (names are case-sensitive)");
                }
            }
        }
        return new TableSchema(id, columns, key);
    }

    private static List<String> primaryKey(Connection c, long relationOid) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEY)) {
            ps.setLong(1, relationOid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** A column's type as pg_attribute names it. */
    private record TypeRef(long oid, int typmod) {}

    /** The type a column of type {@code typeOid} stores, with domains resolved to their base type. */
    private static PgType baseType(Connection c, long typeOid, int typmod, Map<TypeRef, PgType> cache)
            throws SQLException {
        TypeRef ref = new TypeRef(typeOid, typmod);
        PgType cached = cache.get(ref);
        if (cached != null) {
            return cached;
        }
        long oid = typeOid;
        int mod = typmod;
        for (int depth = 0; depth < 100; depth++) {
            try (PreparedStatement ps = c.prepareStatement(TYPE)) {
                ps.setLong(1, oid);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("type oid " + oid + " not found in pg_type");
                    }
                    char kind = rs.getString(2).charAt(0);
                    if (kind != 'd') {
                        PgType base = new PgType(
                                rs.getString(1), kind, rs.getString(3).charAt(0), mod);
                        cache.put(ref, base);
                        return base;
                    }
                    // A domain: its own type modifier is the one of the base type it constrains.
                    oid = rs.getLong(4);
                    mod = rs.getInt(5);
                }
            }
        }
        throw new SQLException("domain type oid " + typeOid + " does not resolve to a base type");
    }
}
