package io.eltcdc.source.postgres;

import io.eltcdc.model.SqlIdentifiers;
import io.eltcdc.model.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's PostgreSQL publication: which tables' changes {@code pgoutput} sends to its slot.
 * Either exactly the captured tables ({@code FOR TABLE}), or, when tables created later are to be
 * captured, every table of the schemas the patterns name ({@code FOR TABLES IN SCHEMA}, PostgreSQL
 * 15+): a table created in such a schema is published from its creation on, with no step of ours in
 * between that could miss its first changes. Tables of those schemas the patterns do not select are
 * published too; the log source's table filter leaves them out.
 *
 * <p>An existing publication is switched to the form asked for ({@code ALTER PUBLICATION … SET}),
 * so a pipeline that turns the option on or off keeps its name.
 */
public final class PostgresPublication {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresPublication.class);
    /** {@code FOR TABLES IN SCHEMA} exists since PostgreSQL 15. */
    static final int SCHEMA_PUBLICATIONS_SINCE = 150000;

    private final String name;

    public PostgresPublication(String name) {
        this.name = name;
    }

    /** Publishes exactly {@code tables} (created or replaced). */
    public void publishTables(Connection c, Collection<TableId> tables) throws SQLException {
        if (tables.isEmpty()) {
            throw new SQLException("no table to capture: a publication needs at least one table");
        }
        String list = tables.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
        apply(c, "TABLE " + list, tables.size() + " table(s)", ". The user must own the tables (or be a superuser)");
        LOG.info("Publication {} publishes {}", name, tables);
    }

    /** Publishes every table of {@code schemas}, also those created later (created or replaced). */
    public void publishSchemas(Connection c, List<String> schemas) throws SQLException {
        requireSchemaPublications(c);
        if (schemas.isEmpty()) {
            throw new SQLException("no schema to capture: a publication needs at least one schema");
        }
        String list = schemas.stream().map(SqlIdentifiers::quote).collect(Collectors.joining(", "));
        apply(
                c,
                "TABLES IN SCHEMA " + list,
                "schema(s) " + schemas,
                ". Publishing whole schemas (source.capture-new-tables) needs a superuser on PostgreSQL 15 and"
                        + " later; use one, or set source.capture-new-tables: false");
        LOG.info("Publication {} publishes every table, present and future, of the schemas {}", name, schemas);
    }

    /**
     * Adds one table to the publication, for a table the patterns select that it does not publish
     * yet. Nothing to do when it is published already, which includes every table of a publication
     * made per schema.
     *
     * @return whether the table was added
     */
    public boolean addTable(Connection c, TableId table) throws SQLException {
        if (publishes(c, table)) {
            return false;
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER PUBLICATION " + SqlIdentifiers.quote(name) + " ADD TABLE " + SqlIdentifiers.quote(table));
        } catch (SQLException e) {
            throw new SQLException(
                    "could not add table " + table + " to the publication '" + name + "': " + e.getMessage()
                            + ". The user must own the table (or be a superuser)",
                    e.getSQLState(),
                    e);
        }
        LOG.info("Publication {}: added table {}", name, table);
        return true;
    }

    /** Whether the publication sends the changes of {@code table} (listed, in a published schema, or all tables). */
    public boolean publishes(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_publication_tables" + " WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
            ps.setString(1, name);
            ps.setString(2, table.schema());
            ps.setString(3, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Fails unless the server can publish whole schemas: before PostgreSQL 15 a publication lists
     * tables one by one (or takes all tables of the database), so a table created later would be
     * missing from the change log.
     */
    public static void requireSchemaPublications(Connection c) throws SQLException {
        int version;
        String text;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            version = rs.getInt(1);
            text = rs.getString(2);
        }
        checkVersion(version, text);
    }

    /** @param version {@code server_version_num}, e.g. 140009 for 14.9; {@code text} as the server writes it */
    static void checkVersion(int version, String text) throws SQLException {
        if (version < SCHEMA_PUBLICATIONS_SINCE) {
            throw new SQLException("source.capture-new-tables needs PostgreSQL 15 or later, whose publications can"
                    + " cover whole schemas (FOR TABLES IN SCHEMA) so that tables created later are in the change"
                    + " log; this server is PostgreSQL " + text + ". Upgrade the server, or set"
                    + " source.capture-new-tables: false (tables created later are then not captured)");
        }
    }

    private void apply(Connection c, String what, String description, String hint) throws SQLException {
        boolean exists = exists(c);
        String sql = exists
                ? "ALTER PUBLICATION " + SqlIdentifiers.quote(name) + " SET " + what
                : "CREATE PUBLICATION " + SqlIdentifiers.quote(name) + " FOR " + what
                        + " WITH (publish_via_partition_root = true)";
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(
                    "could not " + (exists ? "update" : "create") + " the publication '" + name + "' for " + description
                            + ": " + e.getMessage() + hint,
                    e.getSQLState(),
                    e);
        }
    }

    private boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresPublication{" + name + '}';
    }
}
