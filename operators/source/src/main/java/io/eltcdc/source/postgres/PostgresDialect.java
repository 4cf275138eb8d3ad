package io.eltcdc.source.postgres;

import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.dialect.ChunkRows;
import io.eltcdc.source.dialect.RangeChecksums;
import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.dialect.SourceDialect;
import io.eltcdc.source.planner.PlannerQueries;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * PostgreSQL: pgjdbc, session time zone UTC, catalog from {@code pg_catalog}
 * ({@link PostgresCatalog}), chunks read with binary {@code COPY} ({@link PostgresChunkCursor}).
 */
final class PostgresDialect implements SourceDialect {
    static final String URL_PREFIX = "jdbc:postgresql://";
    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {}

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public String urlForm() {
        return URL_PREFIX + "host:port/database";
    }

    @Override
    public void addConnectionProperties(Properties properties, String purpose) {
        // recognisable in pg_stat_activity
        properties.setProperty("ApplicationName", "elt-cdc snapshot " + purpose);
    }

    @Override
    public Connection connect(String jdbcUrl, Properties properties) throws SQLException {
        return new Driver().connect(jdbcUrl, properties);
    }

    @Override
    public void addTlsProperties(Properties properties, TlsSettings tls) {
        tls.addPgjdbcProperties(properties, "");
    }

    @Override
    public void setConnectTimeout(Properties properties, Duration timeout) {
        properties.setProperty("connectTimeout", Long.toString(timeout.toSeconds())); // seconds, for pgjdbc
    }

    @Override
    public String connectionHint() {
        return "Check the source host, port, database name, user and password,"
                + " and that the server accepts connections from this machine (pg_hba.conf).";
    }

    @Override
    public void setUpSession(Connection connection) throws SQLException {
        // so no text form of a time value depends on the server's or the JVM's zone
        try (Statement s = connection.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
    }

    @Override
    public void setUpReaderSession(Connection connection) throws SQLException {
        // The driver opens a COPY's transaction with a plain BEGIN, which the connection's
        // read-only flag does not reach: read-only by default for the whole session instead.
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
        }
    }

    @Override
    public void abandon(Connection connection) {
        // Closing the connection also ends a COPY in progress: the server stops at the closed socket.
        SourceConnections.closeQuietly(connection);
    }

    @Override
    public List<TableSchema> discover(
            Connection connection, List<String> patterns, Map<String, List<String>> customKeys) throws SQLException {
        return PostgresCatalog.discover(connection, patterns, customKeys);
    }

    @Override
    public PlannerQueries plannerQueries() {
        return PostgresPlannerQueries.INSTANCE;
    }

    @Override
    public ChunkRows openChunk(Connection connection, ChunkSplit split, Position position) throws SQLException {
        return PostgresChunkCursor.open(connection, split, position);
    }

    /**
     * The WAL's current end, once every transaction in flight then has ended: a transaction that
     * began before that point and commits later has changes below it, which must not lose against
     * the reads; waiting lets the reads see its outcome.
     */
    @Override
    public Position positionForReadsFromNow(Connection connection) throws SQLException {
        return PostgresInFlightTransactions.positionAfterInFlightEnded(connection);
    }

    @Override
    public RangeChecksums rangeChecksums() {
        return PostgresRangeChecksums.INSTANCE;
    }
}
