package io.eltcdc.job.run;

import io.eltcdc.config.TlsFailures;
import io.eltcdc.destination.DestinationCheckException;
import io.eltcdc.job.config.DestinationSettings;
import io.eltcdc.job.config.PipelineConfig;
import io.eltcdc.job.config.SourceSettings;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.dialect.SourceKind;
import io.eltcdc.source.snapshot.SnapshotSourceConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Checks, before any Flink machinery starts, what a user most often gets wrong: the source cannot
 * be reached, a selected table does not exist, the destination cannot be reached. Each failure is
 * one clear line instead of a job that fails and restarts.
 */
public final class Preflight {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private Preflight() {}

    /** @throws PreflightException with a message saying what failed and what to check */
    public static List<TableSchema> check(PipelineConfig config, PrintStream out) throws PreflightException {
        FlinkSettings.trustS3Ca(config);
        List<TableSchema> tables = checkSource(config.source());
        out.println("Source: " + tables.size() + " table(s): "
                + String.join(", ", tables.stream().map(t -> t.id().toString()).toList()));
        checkDestination(config.destination());
        checkLoadRate(config, tables.size());
        return tables;
    }

    /** The tables {@code source.tables} selects, with their columns and keys. */
    public static List<TableSchema> sourceTables(SourceSettings source) throws PreflightException {
        return checkSource(source);
    }

    private static List<TableSchema> checkSource(SourceSettings source) throws PreflightException {
        try (Connection c = connect(source)) {
            List<TableSchema> tables = source.kind().dialect().discover(c, source.tables(), source.primaryKeys());
            if (tables.isEmpty()) {
                throw new PreflightException("source.tables: no table matches " + source.tables() + " in database '"
                        + source.database() + "'");
            }
            return tables;
        } catch (SQLException e) {
            String tls = TlsFailures.describe(e, source.tls(), "source.tls", source.username(), source.host());
            if (tls != null) {
                throw new PreflightException(tls);
            }
            throw new PreflightException(
                    "source: cannot read from " + source.kind().displayName()
                            + " at " + source.host() + ":"
                            + source.port() + "/" + source.database() + " as '" + source.username() + "': "
                            + e.getMessage() + " (check source.host, port, database, username and password)");
        } catch (IllegalArgumentException e) {
            throw new PreflightException("source.tables: " + e.getMessage());
        }
    }

    /**
     * For a run that goes on to the change log: the server keeps a log the pipeline can read
     * (PostgreSQL: {@code wal_level=logical}; MySQL: binlog on, row format, full row images).
     */
    public static void checkChangeLog(PipelineConfig config) throws PreflightException {
        SourceSettings source = config.source();
        SourceKind kind = source.kind();
        try (Connection c = connect(source)) {
            kind.checkChangeLog(c, source.captureNewTables());
        } catch (SQLException e) {
            String tls = TlsFailures.describe(e, source.tls(), "source.tls", source.username(), source.host());
            if (tls != null) {
                throw new PreflightException(tls);
            }
            throw new PreflightException("source: " + e.getMessage() + kind.changeLogCheckHint());
        }
    }

    private static void checkDestination(DestinationSettings d) throws PreflightException {
        try {
            d.config().check();
        } catch (DestinationCheckException e) {
            throw new PreflightException(e.getMessage());
        }
    }

    /**
     * Whether loading every table as often as the pipeline may fits the destination's limits. Loads
     * start at completed checkpoints, so a load interval shorter than the checkpoint interval (or
     * {@code every-checkpoint}) loads once per checkpoint.
     */
    private static void checkLoadRate(PipelineConfig config, int tables) throws PreflightException {
        Duration checkpoints = config.pipeline().checkpointInterval();
        Duration loadInterval = config.destination().loadInterval();
        try {
            config.destination()
                    .config()
                    .checkLoadRate(tables, loadInterval.compareTo(checkpoints) > 0 ? loadInterval : checkpoints);
        } catch (DestinationCheckException e) {
            throw new PreflightException(e.getMessage());
        }
    }

    /**
     * A connection to the source server for the questions asked before the job starts, through the
     * database's own driver: run by a Flink cluster (REST {@code /jars/:id/run}) this code lives in a
     * user-code class loader, and DriverManager does not see the drivers of a second job's class
     * loader ("No suitable driver").
     */
    static Connection connect(SourceSettings source) throws SQLException {
        SourceDialect dialect = source.kind().dialect();
        Properties props = new Properties();
        props.setProperty("user", source.username());
        if (source.password() != null) {
            props.setProperty("password", source.password().value());
        }
        dialect.setConnectTimeout(props, CONNECT_TIMEOUT);
        if (source.tls() != null) {
            dialect.addTlsProperties(props, source.tls());
        }
        Connection c = dialect.connect(source.jdbcUrl(), props);
        if (c == null) {
            throw new SQLException("the JDBC driver does not accept " + SnapshotSourceConfig.redact(source.jdbcUrl()));
        }
        return c;
    }

    /** A check failed; the message is meant for the user as it is. */
    public static final class PreflightException extends Exception {
        public PreflightException(String message) {
            super(message);
        }
    }
}
