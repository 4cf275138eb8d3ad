package io.eltcdc.source.mysql;

import com.mysql.cj.jdbc.Driver;
import io.eltcdc.config.TlsMaterial;
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

/**
 * MySQL 5.7 / 8.x and MariaDB 10.x, through MySQL Connector/J: catalog from
 * {@code information_schema} ({@link MySqlCatalog}), chunks read with streamed range SELECTs
 * ({@link MySqlChunkReader}).
 *
 * <p>Time values are never shifted: the session's time zone is UTC ({@link #setUpSession}), so the
 * server sends TIMESTAMP values (stored as instants) as UTC text, which is read as that instant;
 * DATETIME values are sent as written, whatever the zone, and read as that wall-clock value. All of
 * them are parsed from the server's text ({@link MySqlTemporalText}), never through
 * {@code java.sql.Timestamp} or the driver's zone conversions, so the JVM's zone plays no part.
 */
final class MySqlDialect implements SourceDialect {
    static final String URL_PREFIX = "jdbc:mysql://";
    static final MySqlDialect INSTANCE = new MySqlDialect();

    private MySqlDialect() {}

    @Override
    public String name() {
        return "MySQL";
    }

    @Override
    public String urlForm() {
        return URL_PREFIX + "host:port/";
    }

    /**
     * Connection properties that win over the URL's (Connector/J lets properties override URL
     * parameters), because the readers depend on them.
     */
    @Override
    public void addConnectionProperties(Properties p, String purpose) {
        // The driver's own view of the session zone matches what setUpSession sets; with
        // preserveInstants any of its instant conversions would go through UTC, not the JVM's zone.
        // Not forceConnectionTimeZoneToSession: it sets the zone by name, which a server without
        // time zone tables (a common MariaDB set-up) refuses; setUpSession sets it by offset.
        p.setProperty("connectionTimeZone", "UTC");
        p.setProperty("forceConnectionTimeZoneToSession", "false");
        p.setProperty("preserveInstants", "true");
        // Zero dates: NULL rather than an exception should any driver conversion meet one (the
        // readers recognise them in the text themselves and warn, see MySqlColumnReaders).
        p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        // utf8mb4 on the wire: strings of any column charset arrive intact, emoji included.
        p.setProperty("characterEncoding", "UTF-8");
        // Client-side prepared statements: the text protocol, whose text forms the readers parse.
        p.setProperty("useServerPrepStmts", "false");
        // A streaming chunk's rows wait on the reader, which waits on Flink's backpressure; the
        // server would drop a connection that cannot take rows for net_write_timeout seconds.
        p.setProperty("netTimeoutForStreamingResults", "3600");
        // shown in performance_schema.session_connect_attrs
        p.setProperty("connectionAttributes", "program_name:elt-cdc snapshot " + purpose);
    }

    @Override
    public Connection connect(String jdbcUrl, Properties properties) throws SQLException {
        return new Driver().connect(jdbcUrl, properties);
    }

    @Override
    public void addTlsProperties(Properties properties, TlsSettings tls) {
        addConnectorJTls(properties, tls, "");
    }

    /**
     * Connector/J's keys for {@code tls} ({@code prefix} {@code database.} passes them through
     * Debezium's MySQL connector to its JDBC connections): {@code sslMode} and, as PKCS-12 stores
     * made from the PEM files, the CA to trust (and nothing else: no fallback to the JVM's trust
     * store) and the client certificate.
     */
    static void addConnectorJTls(Properties p, TlsSettings tls, String prefix) {
        p.setProperty(
                prefix + "sslMode",
                switch (tls.mode()) {
                    case DISABLE -> "DISABLED";
                    case REQUIRE -> "REQUIRED";
                    case VERIFY_CA -> "VERIFY_CA";
                    case VERIFY_FULL -> "VERIFY_IDENTITY";
                });
        if (tls.caFile() != null) {
            TlsMaterial.Store trust = TlsMaterial.trustStore(tls.caFile());
            p.setProperty(prefix + "trustCertificateKeyStoreUrl", trust.url());
            p.setProperty(prefix + "trustCertificateKeyStoreType", "PKCS12");
            p.setProperty(prefix + "trustCertificateKeyStorePassword", trust.password());
            p.setProperty(prefix + "fallbackToSystemTrustStore", "false");
        }
        if (tls.certFile() != null) {
            TlsMaterial.Store key = TlsMaterial.keyStore(tls.path() + ".key-file", tls.certFile(), tls.keyFile());
            p.setProperty(prefix + "clientCertificateKeyStoreUrl", key.url());
            p.setProperty(prefix + "clientCertificateKeyStoreType", "PKCS12");
            p.setProperty(prefix + "clientCertificateKeyStorePassword", key.password());
            p.setProperty(prefix + "fallbackToSystemKeyStore", "false");
        }
    }

    @Override
    public void setConnectTimeout(Properties properties, Duration timeout) {
        properties.setProperty("connectTimeout", Long.toString(timeout.toMillis())); // milliseconds, for Connector/J
    }

    @Override
    public String connectionHint() {
        return "Check the source host, port, user and password, and that the user may connect from this machine"
                + " (MySQL accounts are user@host). MySQL 8 without TLS may also need allowPublicKeyRetrieval=true"
                + " in the URL.";
    }

    /**
     * Session time zone UTC, as an offset: named zones need the server's time zone tables, which
     * many servers lack. TIMESTAMP values are then sent (and bounds compared) in UTC.
     */
    @Override
    public void setUpSession(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
    }

    /**
     * Read-only transactions at REPEATABLE READ: each chunk's query reads one consistent snapshot
     * (InnoDB's plain SELECTs take no row locks), even on a server whose default level is lower.
     */
    @Override
    public void setUpReaderSession(Connection connection) throws SQLException {
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION TRANSACTION READ ONLY");
        }
    }

    /**
     * Aborts the connection: closing a statement whose result is still streaming would make
     * Connector/J read (and drop) every remaining row first, however many; aborting closes the socket,
     * and the server ends the query when it can no longer send.
     */
    @Override
    public void abandon(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // a connection that cannot be aborted is closed below
        }
        SourceConnections.closeQuietly(connection);
    }

    @Override
    public List<TableSchema> discover(
            Connection connection, List<String> patterns, Map<String, List<String>> customKeys) throws SQLException {
        return MySqlCatalog.discover(connection, patterns, customKeys);
    }

    @Override
    public PlannerQueries plannerQueries() {
        return MySqlPlannerQueries.INSTANCE;
    }

    @Override
    public ChunkRows openChunk(Connection connection, ChunkSplit split, Position position) throws SQLException {
        return MySqlChunkReader.open(connection, split, position);
    }

    /**
     * The binlog's current end: a transaction's events are written at its commit, so whatever
     * committed before is in the binlog before it and visible to a read that starts after it.
     */
    @Override
    public Position positionForReadsFromNow(Connection connection) throws SQLException {
        return MySqlBinlog.currentPosition(connection).position();
    }

    @Override
    public RangeChecksums rangeChecksums() {
        return MySqlRangeChecksums.INSTANCE;
    }
}
