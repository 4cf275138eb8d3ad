package io.eltcdc.destination.postgres;

import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
import io.eltcdc.config.TlsFailures;
import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.DestinationCheckException;
import io.eltcdc.destination.DestinationConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A postgres destination section.
 *
 * @param password null when not configured
 * @param schema the schema of every target table, or null for each source table's schema
 * @param tls {@code destination.tls}, or null for pgjdbc's default ({@code prefer})
 */
public record PostgresConfig(
        String host,
        int port,
        String database,
        String username,
        Secret password,
        String schema,
        DeleteMode deleteMode,
        TlsSettings tls)
        implements DestinationConfig {
    private static final long serialVersionUID = 1L;

    public PostgresConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(deleteMode, "deleteMode");
    }

    /** Without a {@code tls} block. */
    public PostgresConfig(
            String host,
            int port,
            String database,
            String username,
            Secret password,
            String schema,
            DeleteMode deleteMode) {
        this(host, port, database, username, password, schema, deleteMode, null);
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl() {
        return PostgresAddress.jdbcUrl(host, port, database);
    }

    @Override
    public Destination create() {
        return new PostgresDestination(
                jdbcUrl(), username, password == null ? null : password.value(), schema, deleteMode, tls);
    }

    /** The server answers and takes the login. */
    @Override
    public void check() throws DestinationCheckException {
        Properties props = new Properties();
        props.setProperty("user", username);
        if (password != null) {
            props.setProperty("password", password.value());
        }
        props.setProperty("connectTimeout", "10"); // seconds
        if (tls != null) {
            tls.addPgjdbcProperties(props, "");
        }
        // Through the driver itself, not DriverManager: in a Flink cluster this code runs in a
        // user-code class loader whose drivers DriverManager does not see.
        try (Connection c = new Driver().connect(jdbcUrl(), props)) {
            c.isValid(5);
        } catch (SQLException e) {
            String failure = TlsFailures.describe(e, tls, "destination.tls", username, host);
            if (failure != null) {
                throw new DestinationCheckException(failure);
            }
            throw new DestinationCheckException("destination: cannot connect to PostgreSQL at " + host + ":" + port
                    + "/" + database + " as '" + username + "': " + e.getMessage());
        }
    }
}
