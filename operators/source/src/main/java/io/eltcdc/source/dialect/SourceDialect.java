package io.eltcdc.source.dialect;

import io.eltcdc.config.TlsSettings;
import io.eltcdc.model.Position;
import io.eltcdc.model.TableSchema;
import io.eltcdc.source.planner.ChunkPlanner;
import io.eltcdc.source.planner.PlannerQueries;
import io.eltcdc.source.snapshot.ChunkSplit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What differs between the databases the snapshot source reads: how to connect and set up a
 * session, how to find and describe the tables, the SQL the planner runs, and how a chunk's rows
 * are read. Everything else (lazy chunking, split state, resuming after the last key, the readers'
 * batches) is shared.
 *
 * <p>The dialect follows from the JDBC URL ({@link SourceKinds#forJdbcUrl}, {@link SourceKind#dialect});
 * implementations are stateless singletons, so a config carries its URL and not a dialect object.
 */
public interface SourceDialect {

    /** The database's name, for messages: {@code PostgreSQL}, {@code MySQL}. */
    String name();

    /** The form of its URLs, for messages: {@code jdbc:postgresql://host:port/database}. */
    String urlForm();

    // --- connections -------------------------------------------------------------------------

    /** Adds the dialect's own connection properties (time zone handling, application name…). */
    void addConnectionProperties(Properties properties, String purpose);

    /**
     * Connects through the driver itself, not DriverManager: in a Flink job the driver lives in the
     * user class loader, which DriverManager does not always see. Null if the driver does not take
     * the URL.
     */
    Connection connect(String jdbcUrl, Properties properties) throws SQLException;

    /** Adds the driver's keys for {@code source.tls}: mode, the CA to trust, the client certificate. */
    void addTlsProperties(Properties properties, TlsSettings tls);

    /** Sets how long a connection attempt may take before it fails (each driver has its own unit). */
    void setConnectTimeout(Properties properties, Duration timeout);

    /** What to check when the server cannot be reached or refuses the login, for the message. */
    String connectionHint();

    /** Sets up a new session so that no value read depends on the server's or the JVM's time zone. */
    void setUpSession(Connection connection) throws SQLException;

    /**
     * Sets up a reader's session, already out of autocommit mode: read-only transactions for the
     * chunks' queries.
     */
    void setUpReaderSession(Connection connection) throws SQLException;

    /**
     * Closes a connection whose chunk query may still be sending rows, without waiting for them
     * (a reader closed or failed in the middle of a chunk).
     */
    void abandon(Connection connection);

    // --- tables, planning, reading -----------------------------------------------------------

    /**
     * The tables {@code patterns} select, in pattern order, each once, with their columns and key.
     *
     * @param patterns {@code schema.table} or {@code schema.*} (on MySQL the schema is the database)
     * @param customKeys key columns by {@code schema.table}, used instead of the primary key
     * @throws IllegalArgumentException for a pattern naming an unknown schema or table, or a column
     *     of a type the source cannot carry
     */
    List<TableSchema> discover(Connection connection, List<String> patterns, Map<String, List<String>> customKeys)
            throws SQLException;

    /** The SQL {@link ChunkPlanner} runs to plan a table and cut it into chunks. */
    PlannerQueries plannerQueries();

    /**
     * The position for rows of a table read from now on while the change log streams (a mid-stream
     * sync): every change the reads will not see has a higher position, every change older than
     * it is visible to them. May wait for transactions in flight to end.
     */
    Position positionForReadsFromNow(Connection connection) throws SQLException;

    /**
     * Starts the query of one chunk on {@code connection} (a reader connection, not in autocommit
     * mode: the query runs in the transaction the caller ends after the last row). Its rows carry
     * {@code position}.
     */
    ChunkRows openChunk(Connection connection, ChunkSplit split, Position position) throws SQLException;

    /**
     * How {@code verify} counts and checksums the rows of a chunk in this database.
     *
     * @throws UnsupportedOperationException where the database cannot
     */
    default RangeChecksums rangeChecksums() {
        throw new UnsupportedOperationException("verify cannot read a " + name() + " source yet");
    }
}
