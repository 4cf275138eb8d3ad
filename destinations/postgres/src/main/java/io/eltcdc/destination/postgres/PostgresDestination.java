package io.eltcdc.destination.postgres;

import io.eltcdc.config.TlsSettings;
import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.sql.JdbcLoader;
import io.eltcdc.destination.sql.JdbcTableChecksums;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

/**
 * Loads batches into PostgreSQL: {@code COPY … FROM STDIN} into a temporary table, then winners
 * per key, deletes, an upsert on the target's primary key and the ledger row, in one transaction.
 *
 * <p>Keeps one connection (flink-connector-jdbc's {@link SimpleJdbcConnectionProvider}, which
 * checks it before each load and reopens it when broken); {@link #close()} closes it.
 */
public final class PostgresDestination implements Destination {
    private final SimpleJdbcConnectionProvider connections;
    private final JdbcLoader loader;
    private final String name;
    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String schemaOverride;

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?…]}
     * @param username the user, or null when the URL names it
     * @param password the password, or null
     * @param schemaOverride the schema of every target table, or null to use each source table's schema
     */
    public PostgresDestination(String jdbcUrl, String username, String password, String schemaOverride) {
        this(jdbcUrl, username, password, schemaOverride, DeleteMode.HARD);
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?…]}
     * @param username the user, or null when the URL names it
     * @param password the password, or null
     * @param schemaOverride the schema of every target table, or null to use each source table's schema
     * @param deleteMode what a DELETE does to the target row
     */
    public PostgresDestination(
            String jdbcUrl, String username, String password, String schemaOverride, DeleteMode deleteMode) {
        this(jdbcUrl, username, password, schemaOverride, deleteMode, null);
    }

    /**
     * @param tls {@code destination.tls}, or null for pgjdbc's default
     */
    public PostgresDestination(
            String jdbcUrl,
            String username,
            String password,
            String schemaOverride,
            DeleteMode deleteMode,
            TlsSettings tls) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.schemaOverride = schemaOverride;
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder options =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(jdbcUrl)
                        .withDriverName("org.postgresql.Driver");
        if (username != null) {
            options.withUsername(username);
        }
        if (password != null) {
            options.withPassword(password);
        }
        if (tls != null) {
            Properties p = new Properties();
            tls.addPgjdbcProperties(p, "");
            p.stringPropertyNames().forEach(k -> options.withProperty(k, p.getProperty(k)));
        }
        this.connections = new SimpleJdbcConnectionProvider(options.build());
        this.name = "PostgreSQL " + withoutParameters(jdbcUrl) + (username == null ? "" : " as " + username);
        this.loader = new JdbcLoader(
                name,
                new PostgresSql(),
                new PostgresCopyStager(),
                new PostgresMerge(),
                schemaOverride,
                password,
                deleteMode);
    }

    @Override
    public synchronized void createTables(List<TableSchema> tables) throws Exception {
        try {
            Connection c = connections.getOrEstablishConnection();
            for (TableSchema table : tables) {
                loader.createTable(c, table);
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "creating the target tables in " + name + " failed: "
                            + LoadException.scrub(LoadException.describe(e), secretOf()),
                    e);
        }
    }

    @Override
    public synchronized LoadResult load(LoadBatch batch) throws LoadException {
        Connection c;
        try {
            c = connections.getOrEstablishConnection();
        } catch (Exception e) {
            throw new LoadException(batch, loader.targetOf(batch), name, e, secretOf());
        }
        return loader.load(c, batch);
    }

    /** Each question on a connection of its own, read-only, closed after it: questions run in parallel. */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(
                new JdbcTableChecksums(name, new PostgresSql(), this::openReadOnly, schemaOverride, password));
    }

    private Connection openReadOnly() throws Exception {
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "elt-cdc verify");
        // The driver directly: DriverManager does not see drivers of Flink's user-code class loader.
        Connection c = new org.postgresql.Driver().connect(jdbcUrl, properties);
        if (c == null) {
            throw new IllegalStateException("not a PostgreSQL URL: " + withoutParameters(jdbcUrl));
        }
        c.setReadOnly(true);
        return c;
    }

    @Override
    public synchronized void close() {
        connections.closeConnection();
    }

    private String secretOf() {
        return connections.getProperties().getProperty(JdbcConnectionOptions.PASSWORD_KEY);
    }

    /** The URL without its parameters, which may hold a password. */
    static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public boolean supportsReplacingTables() {
        return true;
    }

    @Override
    public boolean supportsTombstones() {
        return true;
    }

    @Override
    public String toString() {
        return "PostgresDestination[" + name + "]";
    }
}
