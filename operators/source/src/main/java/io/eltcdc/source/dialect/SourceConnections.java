package io.eltcdc.source.dialect;

import io.eltcdc.config.SecretUnavailableException;
import io.eltcdc.config.TlsFailures;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import io.eltcdc.source.snapshot.SnapshotSourceException;
import io.eltcdc.source.snapshot.SourceFaults;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Opens connections to the source database, set up the same way for the enumerator and the
 * readers: read-only, session time zone UTC (so no text form of a time value depends on the
 * server's or the JVM's zone), and a recognisable application name where the database shows one
 * ({@code pg_stat_activity}). The driver and the set-up come from the URL's {@link SourceDialect}.
 */
public final class SourceConnections {
    private SourceConnections() {}

    /**
     * A new connection, read-only, in autocommit mode (callers that stream switch it off).
     *
     * @throws SnapshotSourceException when the database cannot be reached or refuses the login
     */
    public static Connection open(SnapshotSourceConfig config, String purpose) {
        SourceDialect dialect = config.dialect();
        Properties props = new Properties();
        if (config.username() != null) {
            props.setProperty("user", config.username());
        }
        if (config.password() != null) {
            try {
                props.setProperty("password", config.password().value());
            } catch (SecretUnavailableException e) {
                // Its variable or file is missing in this process: a person must set or mount it.
                throw new SuppressRestartsException(e);
            }
        }
        dialect.addConnectionProperties(props, purpose);
        if (config.tls() != null) {
            dialect.addTlsProperties(props, config.tls());
        }
        Connection connection;
        try {
            connection = dialect.connect(config.jdbcUrl(), props);
        } catch (SQLException e) {
            String tls = TlsFailures.describe(e, config.tls(), "source.tls", userOf(config), hostOf(config));
            if (tls != null) {
                // A certificate or TLS setting needs a person: restarts would only repeat the refusal.
                SnapshotSourceException refused = new SnapshotSourceException(tls + " (" + purpose + ")");
                refused.addSuppressed(e);
                throw new SuppressRestartsException(refused);
            }
            throw SourceFaults.failed(
                    "Could not connect to the source database " + config.redactedUrl() + " as user '" + userOf(config)
                            + "' (" + purpose + "): " + e.getMessage() + ". " + dialect.connectionHint(),
                    e);
        }
        if (connection == null) {
            throw new SnapshotSourceException("The source JDBC URL " + config.redactedUrl() + " is not a "
                    + dialect.name() + " URL (expected " + dialect.urlForm() + ")");
        }
        try {
            dialect.setUpSession(connection);
            connection.setReadOnly(true);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new SnapshotSourceException(
                    "Could not set up the session on the source database " + config.redactedUrl() + ": "
                            + e.getMessage(),
                    e);
        }
        return connection;
    }

    public static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing after a failure or at shutdown: nothing left to do with it
            }
        }
    }

    private static String hostOf(SnapshotSourceConfig config) {
        String rest = config.jdbcUrl().replaceFirst("^jdbc:[a-z]+://", "");
        return rest.replaceFirst("[/?].*$", "");
    }

    private static String userOf(SnapshotSourceConfig config) {
        return config.username() != null ? config.username() : "(from URL)";
    }
}
