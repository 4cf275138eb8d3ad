package io.eltcdc.destination.sql;

import io.eltcdc.destination.LoadBatch;
import io.eltcdc.destination.LoadResult;
import io.eltcdc.destination.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The transaction of the load protocol, written once for every JDBC destination (DuckDB, PostgreSQL,
 * Snowflake, Redshift); what each part stages and merges is the destination's.
 *
 * <ul>
 *   <li>The ledger is asked again inside the transaction: a batch that another load committed in the
 *       meantime changes nothing.
 *   <li>Every part of the batch merges in the one transaction, then the ledger row is added: the
 *       rows and the ledger row commit together, or neither does.
 *   <li>A ledger row that a concurrent load of the same batch added first (a unique-key violation,
 *       where the destination enforces the key) makes this load a no-op.
 *   <li>Any failure rolls everything back; the connection is left as it was found.
 * </ul>
 */
public final class LedgeredTransaction {

    /** How a destination runs a transaction on its connection. */
    public interface Session {
        void begin(Connection c) throws SQLException;

        void commit(Connection c) throws SQLException;

        void rollback(Connection c) throws SQLException;

        /** Leaves the connection as it was found, quietly (it may be broken). */
        void end(Connection c);
    }

    /** The JDBC way: autocommit off, {@link Connection#commit()}, autocommit back on. */
    public static final Session JDBC = new Session() {
        @Override
        public void begin(Connection c) throws SQLException {
            c.setAutoCommit(false);
        }

        @Override
        public void commit(Connection c) throws SQLException {
            c.commit();
        }

        @Override
        public void rollback(Connection c) throws SQLException {
            c.rollback();
        }

        @Override
        public void end(Connection c) {
            JdbcCleanup.restoreAutoCommit(c);
        }
    };

    /** One part of a batch: stages it (unless that was done before) and merges it. */
    @FunctionalInterface
    public interface Part {
        Counts load(Connection c) throws Exception;
    }

    /** Records read from a part's files, and target rows its merge changed. */
    public record Counts(long staged, long merged) {}

    private LedgeredTransaction() {}

    /** Loads {@code parts} and records the batch, in one transaction; see the class comment. */
    public static LoadResult run(
            Connection c,
            Session session,
            Ledger ledger,
            LoadBatch batch,
            TargetTable target,
            List<? extends Part> parts)
            throws Exception {
        session.begin(c);
        try {
            if (ledger.contains(c, batch, target)) {
                session.rollback(c);
                return LoadResult.alreadyLoaded();
            }
            long staged = 0;
            long merged = 0;
            for (Part part : parts) {
                Counts counts = part.load(c);
                staged += counts.staged();
                merged += counts.merged();
            }
            try {
                ledger.record(c, batch, target, staged);
            } catch (SQLException e) {
                if (LoadLedger.isDuplicate(e)) { // a concurrent load of the same batch committed first
                    session.rollback(c);
                    return LoadResult.alreadyLoaded();
                }
                throw e;
            }
            session.commit(c);
            return new LoadResult(staged, merged, false);
        } catch (Exception e) {
            try {
                if (!c.isClosed()) {
                    session.rollback(c);
                }
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            session.end(c);
        }
    }
}
