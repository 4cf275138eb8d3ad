package io.eltcdc.destination.sql;

import io.eltcdc.model.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small JDBC helpers shared by the destinations. */
public final class JdbcStatements {
    private JdbcStatements() {}

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw withStatement(e, sql);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the rows it changed. */
    public static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeLargeUpdate(sql);
        } catch (SQLException e) {
            throw withStatement(e, sql);
        }
    }

    /** Runs a query of one boolean (such as {@code SELECT EXISTS (…)}). */
    public static boolean queryBoolean(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() && r.getBoolean(1);
        } catch (SQLException e) {
            throw withStatement(e, sql);
        }
    }

    /**
     * Creates {@code schema} (in {@code catalog} when not null) unless it exists; checked first, since
     * CREATE SCHEMA may need rights that the schema's users lack.
     */
    public static void ensureSchema(Connection c, String catalog, String schema) throws SQLException {
        String sql =
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = ? AND catalog_name = current_database()";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    return;
                }
            }
        }
        execute(
                c,
                "CREATE SCHEMA IF NOT EXISTS " + (catalog == null ? "" : SqlIdentifiers.quote(catalog) + ".")
                        + SqlIdentifiers.quote(schema));
    }

    /** The exception with the failed statement appended to its message (statements hold names, never values). */
    private static SQLException withStatement(SQLException e, String sql) {
        SQLException wrapped =
                new SQLException(e.getMessage() + "\n  in: " + abbreviate(sql), e.getSQLState(), e.getErrorCode(), e);
        return wrapped;
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 2000 ? sql : sql.substring(0, 2000) + " …";
    }
}
