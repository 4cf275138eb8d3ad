package io.eltcdc.source.snapshot;

import io.eltcdc.source.dialect.SourceConnections;
import io.eltcdc.source.dialect.SourceDialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The source connection of one reader, kept between chunks.
 *
 * <p>Flink closes a reader's split reader whenever it runs out of chunks, which happens after every
 * chunk while the next one is on its way from the enumerator; opening a connection for each chunk
 * (a server process, a login, the session set-up) cost about a tenth of a second each time. The
 * split reader hands its connection back here instead, and the next one takes it. One connection
 * is kept at most: a split reader closing late, after its successor opened its own, closes its own.
 *
 * <p>Connections handed out are set up for reading chunks: not in autocommit mode (a chunk's
 * queries share its transaction, which the split reader ends) and read-only by default for the
 * whole session (the driver opens a COPY's transaction with a plain {@code BEGIN}, which the
 * connection's read-only flag does not reach; see {@link SourceDialect#setUpReaderSession}).
 */
public final class ReaderConnections implements AutoCloseable {
    private final SnapshotSourceConfig config;
    private Connection idle;
    private boolean closed;

    public ReaderConnections(SnapshotSourceConfig config) {
        this.config = config;
    }

    /** The kept connection, or a new one. */
    public Connection take() throws SQLException {
        synchronized (this) {
            if (idle != null) {
                Connection kept = idle;
                idle = null;
                return kept;
            }
        }
        Connection connection = SourceConnections.open(config, "reader");
        try {
            connection.setAutoCommit(false);
            config.dialect().setUpReaderSession(connection);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            SourceConnections.closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    /** Takes back a connection with no transaction open, to hand out again. */
    public void giveBack(Connection connection) {
        synchronized (this) {
            if (!closed && idle == null) {
                idle = connection;
                return;
            }
        }
        SourceConnections.closeQuietly(connection);
    }

    @Override
    public void close() {
        Connection kept;
        synchronized (this) {
            closed = true;
            kept = idle;
            idle = null;
        }
        SourceConnections.closeQuietly(kept);
    }
}
