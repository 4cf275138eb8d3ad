package io.eltcdc.destination.redshift;

import io.eltcdc.destination.sql.JdbcCleanup;
import io.eltcdc.destination.sql.JdbcStatements;
import io.eltcdc.destination.sql.LedgeredTransaction;
import io.eltcdc.destination.sql.LoadLedger;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A load transaction on Redshift: it begins by locking the ledger ({@code LOCK "elt_cdc"."loads"}),
 * so the load transactions of every pipeline and table of a database run one after the other.
 *
 * <ul>
 *   <li>Why: each load reads {@code elt_cdc.loads} and then inserts into it. Redshift detects
 *       conflicts per table, so two such transactions that overlap are not serializable, and it
 *       cancels one of them (error 1023, "Serializable isolation violation"). AWS's remedy, besides
 *       retrying: force serialization by having each session lock the tables it uses, at the
 *       beginning of the transaction, in the same order.
 *   <li>The LOCK is the transaction's first statement: the transaction's snapshot is taken at its
 *       first read, and a lock taken after that read does not prevent the conflict.
 *   <li>Only the ledger is locked: every load transaction takes that lock first, so no two of them
 *       overlap, while readers of the target tables (dashboards) are not made to wait for loads.
 *       Readers of the ledger wait until the load that holds it commits.
 *   <li>A LOCK that fails leaves the connection as it was found: rolled back, in autocommit.
 * </ul>
 */
final class LedgerLockSession implements LedgeredTransaction.Session {
    private static final LedgeredTransaction.Session JDBC = LedgeredTransaction.JDBC;

    private final String lock;

    LedgerLockSession(LoadLedger ledger) {
        this.lock = lockStatement(ledger);
    }

    /** {@code LOCK <ledger>}: an ACCESS EXCLUSIVE lock, held until the transaction ends. */
    private static String lockStatement(LoadLedger ledger) {
        return "LOCK " + ledger.tableSql();
    }

    @Override
    public void begin(Connection c) throws SQLException {
        JDBC.begin(c);
        try {
            JdbcStatements.execute(c, lock);
        } catch (SQLException e) {
            JdbcCleanup.rollbackQuietly(c, e);
            JDBC.end(c);
            throw e;
        }
    }

    @Override
    public void commit(Connection c) throws SQLException {
        JDBC.commit(c);
    }

    @Override
    public void rollback(Connection c) throws SQLException {
        JDBC.rollback(c);
    }

    @Override
    public void end(Connection c) {
        JDBC.end(c);
    }
}
