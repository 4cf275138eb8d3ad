package io.eltcdc.destination.duckdb;

import io.eltcdc.destination.sql.JdbcStatements;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How many threads DuckDB works with during a load. A load's database starts with one: staging is
 * single-threaded Java work, and the SQL of a batch of some 10⁵ rows gains nothing from a second
 * thread but costs more CPU (measured: about 40% more per 150 k-row batch with two threads than
 * with one, and slower too when the source's tasks keep the cores busy, as during an initial
 * sync). Batches large enough to be worth splitting get every core for their merge and checkpoint.
 */
final class DuckDbThreads {
    /** Batches of at least this many rows merge with every core. */
    static final long PARALLEL_ROWS = 500_000;

    private DuckDbThreads() {}

    /**
     * Starts a load's connection with one thread. A statement rather than a connection property:
     * DuckDB refuses to open a file that this process has open already with another configuration.
     */
    static void startSingle(Connection c) throws SQLException {
        JdbcStatements.execute(c, "SET threads = 1");
    }

    /** Lets the merge of a batch of {@code rows} use every core when it is large enough. */
    static void forBatch(Connection c, long rows) throws SQLException {
        if (rows >= PARALLEL_ROWS) {
            JdbcStatements.execute(
                    c, "SET threads = " + Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
    }
}
