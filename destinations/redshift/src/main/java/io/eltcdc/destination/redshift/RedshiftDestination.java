package io.eltcdc.destination.redshift;

import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.sql.JdbcTableChecksums;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.sql.Driver;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

/**
 * Loads batches into Amazon Redshift: the staged records are re-encoded into load files on S3,
 * COPY reads them through a manifest into a temporary table, then winners per key, DELETE and
 * INSERT and the ledger row run in one transaction ({@link RedshiftLoader}, {@link RedshiftSql}).
 *
 * <p>Keeps one connection (flink-connector-jdbc's {@link SimpleJdbcConnectionProvider}, which
 * checks it before each load and reopens it when broken); {@link #close()} closes it.
 */
public final class RedshiftDestination implements Destination {
    static final String DRIVER = "com.amazon.redshift.Driver";

    private final SimpleJdbcConnectionProvider connections;
    private final RedshiftLoader loader;
    private final String name;
    private final String password;
    private final RedshiftOptions options;

    public RedshiftDestination(RedshiftOptions options) {
        this(options, new FlinkLoadFileStore());
    }

    /** @param store where load files are written (Flink's file systems in the job) */
    RedshiftDestination(RedshiftOptions options, LoadFileStore store) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder jdbc =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(options.jdbcUrl())
                        .withDriverName(DRIVER);
        if (options.username() != null) {
            jdbc.withUsername(options.username());
        }
        if (options.password() != null) {
            jdbc.withPassword(options.password());
        }
        Properties tls = options.tlsProperties();
        tls.stringPropertyNames().forEach(k -> jdbc.withProperty(k, tls.getProperty(k)));
        this.options = options;
        this.connections = new SimpleJdbcConnectionProvider(jdbc.build());
        this.password = options.password();
        this.name = "Redshift " + RedshiftOptions.withoutParameters(options.jdbcUrl())
                + (options.username() == null ? "" : " as " + options.username());
        CopySql copy = new CopySql(options.credentials(), options.s3Region());
        this.loader = new RedshiftLoader(
                name,
                new CopyFromManifest(store, copy),
                store,
                options.loadPath(),
                options.schemaOverride(),
                options.deleteMode(),
                options.longStrings(),
                password,
                new ConflictRetry());
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
                            + LoadException.scrub(LoadException.describe(e), password),
                    e);
        }
    }

    @Override
    public synchronized LoadResult load(LoadBatch batch) throws LoadException {
        Connection c;
        try {
            c = connections.getOrEstablishConnection();
        } catch (Exception e) {
            throw new LoadException(batch, loader.targetForMessage(batch), name, e, password);
        }
        return loader.load(c, batch);
    }

    /** Each question on a connection of its own, read-only, closed after it: questions run in parallel. */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(new JdbcTableChecksums(
                name, new RedshiftChecksumSql.Dialect(), this::openReadOnly, options.schemaOverride(), password));
    }

    private Connection openReadOnly() throws Exception {
        Properties properties = new Properties();
        if (options.username() != null) {
            properties.setProperty("user", options.username());
        }
        if (options.password() != null) {
            properties.setProperty("password", options.password());
        }
        properties.putAll(options.tlsProperties()); // destination.tls, as the loads' connections
        // The driver directly: DriverManager does not see drivers of Flink's user-code class loader.
        Driver driver = (Driver) Class.forName(DRIVER, true, RedshiftDestination.class.getClassLoader())
                .getDeclaredConstructor()
                .newInstance();
        Connection c = driver.connect(options.jdbcUrl(), properties);
        if (c == null) {
            throw new IllegalStateException("not a Redshift JDBC URL (destination.host, port, database): "
                    + RedshiftOptions.withoutParameters(options.jdbcUrl()));
        }
        c.setReadOnly(true);
        return c;
    }

    @Override
    public boolean supportsTombstones() {
        return true;
    }

    @Override
    public synchronized void close() {
        connections.closeConnection();
    }

    @Override
    public String toString() {
        return "RedshiftDestination[" + name + "]";
    }
}
