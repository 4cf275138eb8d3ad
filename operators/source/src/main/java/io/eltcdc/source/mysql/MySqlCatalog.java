package io.eltcdc.source.mysql;

import io.eltcdc.model.Column;
import io.eltcdc.model.TableId;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.TableSelection;
import io.eltcdc.source.mysql.MySqlTypes.MySqlColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the tables a pipeline reads on a MySQL or MariaDB server and describes them: columns in
 * ordinal order with their pipeline types ({@link MySqlTypes}), and the key (the primary key's
 * columns in key order, or the configured custom key).
 *
 * <p>A table id's schema is the MySQL database: patterns are {@code database.table} and
 * {@code database.*}, whatever database the JDBC URL names. Names are matched exactly
 * (case-sensitive), as on PostgreSQL: {@code information_schema} is asked with the server's own
 * comparison, which is case-insensitive on MariaDB, and its answers are then compared exactly.
 */
public final class MySqlCatalog {
    /** How a table pattern is written, for messages. */
    private static final String FORM = "database.table or database.*";

    private static final Logger LOG = LoggerFactory.getLogger(MySqlCatalog.class);

    private static final String DATABASE = "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
    private static final String TABLES =
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES" + " WHERE TABLE_SCHEMA = ?";
    private static final String TABLE = TABLES + " AND TABLE_NAME = ?";
    private static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,"
            + " NUMERIC_PRECISION, NUMERIC_SCALE FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    private static final String PRIMARY_KEY = "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";
    /** MariaDB only: MySQL 5.7 has no such view, MySQL 8's has no table name (and a real json type). */
    private static final String CHECKS = "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
            + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";

    /** Table types read: ordinary tables and MariaDB's system-versioned ones (their current rows). */
    private static final Set<String> TABLE_TYPES = Set.of("BASE TABLE", "SYSTEM VERSIONED");

    private MySqlCatalog() {}

    /**
     * The tables {@code patterns} select, in pattern order, each once.
     *
     * @param patterns {@code database.table} (split at the first dot; exact names) or
     *     {@code database.*} (every table of the database, by name)
     * @param customKeys key columns by {@code database.table}, used instead of the primary key
     * @throws IllegalArgumentException for a pattern naming an unknown database or table, a view, a
     *     custom key naming an unknown column or an unselected table, or a column of a type the
     *     pipeline cannot carry
     */
    public static List<TableSchema> discover(Connection c, List<String> patterns, Map<String, List<String>> customKeys)
            throws SQLException {
        TableSelection.Selected selected = TableSelection.select(patterns, customKeys, FORM, p -> resolve(c, p));
        Set<TableId> tables = selected.tables();
        Map<TableId, List<String>> keys = selected.customKeys();
        boolean mariaDb = c.getMetaData()
                .getDatabaseProductVersion()
                .toLowerCase(Locale.ROOT)
                .contains("mariadb");
        List<TableSchema> schemas = new ArrayList<>(tables.size());
        for (TableId table : tables) {
            schemas.add(describe(c, table, keys.get(table), mariaDb));
        }
        return schemas;
    }

    private static TableId parse(String text, String what) {
        return TableSelection.parse(text, what, FORM);
    }

    private static List<TableId> resolve(Connection c, String pattern) throws SQLException {
        TableId id = parse(pattern, "table pattern");
        if (!databaseExists(c, id.schema())) {
            throw new IllegalArgumentException(
                    "table pattern '" + pattern + "': database '" + id.schema()
                            + "' does not exist on the server (names are case-sensitive; the pattern is split at its first dot)");
        }
        if (id.table().equals("*")) {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(TABLES)) {
                ps.setString(1, id.schema());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).equals(id.schema()) && TABLE_TYPES.contains(rs.getString(3))) {
                            names.add(rs.getString(2));
                        }
                    }
                }
            }
            if (names.isEmpty()) {
                LOG.warn("Table pattern '{}' matches no table: database '{}' has no tables", pattern, id.schema());
            }
            return names.stream()
                    .sorted()
                    .map(name -> new TableId(id.schema(), name))
                    .toList();
        }
        String type = null;
        try (PreparedStatement ps = c.prepareStatement(TABLE)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(id.schema()) && rs.getString(2).equals(id.table())) {
                        type = rs.getString(3);
                    }
                }
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("table pattern '" + pattern + "': table " + MySqlIdentifiers.quote(id)
                    + " does not exist (database and table names are case-sensitive; the pattern is split at its"
                    + " first dot)");
        }
        if (!TABLE_TYPES.contains(type)) {
            throw new IllegalArgumentException("table pattern '" + pattern + "': " + MySqlIdentifiers.quote(id)
                    + " is not a table (" + type + "); only base tables can be read");
        }
        return List.of(id);
    }

    private static boolean databaseExists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DATABASE)) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(database)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static TableSchema describe(Connection c, TableId id, List<String> customKey, boolean mariaDb)
            throws SQLException {
        Set<String> jsonChecked = mariaDb ? jsonCheckedColumns(c, id) : Set.of();
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(1).equals(id.table())) {
                        continue;
                    }
                    String name = rs.getString(2);
                    MySqlColumn column = new MySqlColumn(
                            name,
                            rs.getString(3),
                            rs.getString(4),
                            rs.getObject(6, Long.class),
                            rs.getObject(7, Long.class),
                            "YES".equals(rs.getString(5)),
                            jsonChecked.contains(name));
                    columns.add(MySqlTypes.column(id, column));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + MySqlIdentifiers.quote(id)
                    + " has no columns to read (or disappeared while it was being described)");
        }
        List<String> key = customKey != null ? customKey : primaryKey(c, id);
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

    private static List<String> primaryKey(Connection c, TableId id) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEY)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(id.table())) {
                        key.add(rs.getString(2));
                    }
                }
            }
        }
        return key;
    }

    /**
     * The columns a {@code CHECK (json_valid(`col`))} constraint guards: MariaDB's {@code JSON}
     * columns, which it stores as {@code longtext} with exactly that constraint.
     */
    private static Set<String> jsonCheckedColumns(Connection c, TableId id) throws SQLException {
        List<String> clauses = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CHECKS)) {
            ps.setString(1, id.schema());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals(id.table())) {
                        clauses.add(rs.getString(2).trim());
                    }
                }
            }
        }
        Set<String> columns = new HashSet<>();
        for (String clause : clauses) {
            String lower = clause.toLowerCase(Locale.ROOT);
            if (lower.startsWith("json_valid(`") && lower.endsWith("`)")) {
                String quoted = clause.substring("json_valid(".length(), clause.length() - 1);
                // one backticked name, embedded backticks doubled: `a``b`
                String inner = quoted.substring(1, quoted.length() - 1);
                if (!inner.replace("``", "").contains("`")) {
                    columns.add(inner.replace("``", "`"));
                }
            }
        }
        return columns;
    }
}
