package io.eltcdc.source.snapshot;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens connections to the source database, set up the same way for the enumerator and the
 * readers: read-only, session time zone UTC (so no text form of a time value depends on the
 * server's or the JVM's zone), and a recognisable application name in {@code pg_stat_activity}.
 */
final class SourceConnections {
    private SourceConnections() {}

    /**
     * A new connection, read-only, in autocommit mode (callers that stream switch it off).
     *
     * @throws SnapshotSourceException when the database cannot be reached or refuses the login
     */
    static Connection open(SnapshotSourceConfig config, String purpose) {
        Properties props = new Properties();
        if (config.username() != null) {
            props.setProperty("user", config.username());
        }
        if (config.password() != null) {
            props.setProperty("password", config.password());
        }
        props.setProperty("ApplicationName", "elt-cdc snapshot " + purpose);
        Connection connection;
        try {
            // The driver directly, not DriverManager: in a Flink job the driver lives in the user
            // class loader, which DriverManager does not always see.
            connection = new org.postgresql.Driver().connect(config.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new SnapshotSourceException("Could not connect to the source database "
                    + config.redactedUrl() + " as user '" + userOf(config) + "' (" + purpose + "): "
                    + e.getMessage() + ". Check the source host, port, database name, user and password,"
                    + " and that the server accepts connections from this machine (pg_hba.conf).", e);
        }
        if (connection == null) {
            throw new SnapshotSourceException("The source JDBC URL " + config.redactedUrl()
                    + " is not a PostgreSQL URL (expected jdbc:postgresql://host:port/database)");
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            connection.setReadOnly(true);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new SnapshotSourceException("Could not set up the session on the source database "
                    + config.redactedUrl() + ": " + e.getMessage(), e);
        }
        return connection;
    }

    static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing after a failure or at shutdown: nothing left to do with it
            }
        }
    }

    private static String userOf(SnapshotSourceConfig config) {
        return config.username() != null ? config.username() : "(from URL)";
    }
}
