package io.eltcdc.destination.postgres;

import io.eltcdc.config.PostgresAddress;
import io.eltcdc.config.Secret;
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
 */
public record PostgresConfig(
        String host, int port, String database, String username, Secret password, String schema, DeleteMode deleteMode)
        implements DestinationConfig {
    private static final long serialVersionUID = 1L;

    public PostgresConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(deleteMode, "deleteMode");
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl() {
        return PostgresAddress.jdbcUrl(host, port, database);
    }

    @Override
    public Destination create() {
        return new PostgresDestination(
                jdbcUrl(), username, password == null ? null : password.value(), schema, deleteMode);
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
        // Through the driver itself, not DriverManager: in a Flink cluster this code runs in a
        // user-code class loader whose drivers DriverManager does not see.
        try (Connection c = new Driver().connect(jdbcUrl(), props)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new DestinationCheckException("destination: cannot connect to PostgreSQL at " + host + ":" + port
                    + "/" + database + " as '" + username + "': " + e.getMessage());
        }
    }
}
