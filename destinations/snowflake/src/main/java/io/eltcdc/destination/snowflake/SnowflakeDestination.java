package io.eltcdc.destination.snowflake;

import io.eltcdc.destination.DeleteMode;
import io.eltcdc.destination.Destination;
import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadException;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TableChecksums;
import io.eltcdc.destination.sql.JdbcTableChecksums;
import io.eltcdc.model.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import net.snowflake.client.jdbc.SnowflakeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads batches into Snowflake: COPY from an external stage on the pipeline's S3 staging folder
 * into temporary tables, then winners per key, one MERGE and the ledger row in one transaction
 * ({@link SnowflakeLoader}).
 *
 * <p>Keeps one connection, checked before each load and reopened when broken (a Snowflake session
 * expires after hours of idleness); {@link #close()} closes it. The driver is called directly, not
 * through {@code DriverManager}, which may not see drivers of Flink's user-code class loader.
 */
public final class SnowflakeDestination implements Destination {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeDestination.class);
    private static final int VALID_TIMEOUT_SECONDS = 10;

    private final SnowflakeConnectionSettings settings;
    private final Connector connector;
    private final SnowflakeLoader loader;
    private final String name;
    private Connection connection;
    private final String schemaOverride;
    private final SnowflakeNames names;

    /**
     * @param stage the external stage on the staging folder the batches' files are in
     * @param schemaOverride the schema of every target table, or null to use each source table's schema
     * @param deleteMode what a DELETE does to the target row
     * @param names how schemas, tables and columns are named in Snowflake
     */
    public SnowflakeDestination(
            SnowflakeConnectionSettings settings,
            SnowflakeStage stage,
            String schemaOverride,
            DeleteMode deleteMode,
            SnowflakeNames names) {
        this(
                settings,
                stage,
                schemaOverride,
                deleteMode,
                names,
                (url, properties) -> new SnowflakeDriver().connect(url, properties));
    }

    /** Opens sessions with {@code connector} instead of Snowflake's driver (tests record the statements). */
    SnowflakeDestination(
            SnowflakeConnectionSettings settings,
            SnowflakeStage stage,
            String schemaOverride,
            DeleteMode deleteMode,
            SnowflakeNames names,
            Connector connector) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.loader = new SnowflakeLoader(
                Objects.requireNonNull(stage, "stage"),
                schemaOverride,
                Objects.requireNonNull(deleteMode, "deleteMode"),
                Objects.requireNonNull(names, "names"));
        this.name = settings.describe();
        this.schemaOverride = schemaOverride;
        this.names = names;
    }

    @Override
    public synchronized void createTables(List<TableSchema> tables) throws Exception {
        try {
            Connection c = connection();
            loader.createTables(c, tables);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "creating the target tables in " + name + " failed: "
                            + LoadException.scrub(LoadException.describe(e), settings.secret()),
                    e);
        }
    }

    @Override
    public synchronized LoadResult load(LoadBatch batch) throws LoadException {
        try {
            return loader.load(connection(), batch);
        } catch (Exception e) {
            throw new LoadException(batch, loader.targetOf(batch), name, e, settings.secret());
        }
    }

    /** Each question in a session of its own, closed after it: questions run in parallel. */
    @Override
    public Optional<TableChecksums> checksums() {
        return Optional.of(new JdbcTableChecksums(
                name,
                new SnowflakeSql(0, names),
                () -> connector.connect(settings.jdbcUrl(), settings.properties()),
                schemaOverride,
                settings.secret()));
    }

    /**
     * The open connection, or a new one ({@link SnowflakeLoader#prepare prepared}: session settings,
     * ledger, stage) when there is none or it broke.
     */
    private Connection connection() throws SQLException {
        if (connection != null) {
            try {
                if (connection.isValid(VALID_TIMEOUT_SECONDS)) {
                    return connection;
                }
            } catch (SQLException e) {
                LOG.debug("checking the connection to {} failed; reconnecting", name, e);
            }
            close();
        }
        Connection c = connector.connect(settings.jdbcUrl(), settings.properties());
        try {
            loader.prepare(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        return c;
    }

    @Override
    public boolean supportsTombstones() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the connection to {} failed", name, e);
        } finally {
            connection = null;
        }
    }

    /** Opens a session: the JDBC URL and the driver's properties in, a connection out. */
    @FunctionalInterface
    interface Connector {
        Connection connect(String url, Properties properties) throws SQLException;
    }

    @Override
    public String toString() {
        return "SnowflakeDestination[" + name + "]";
    }
}
